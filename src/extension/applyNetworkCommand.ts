import type { SeenToken } from './decodeBearer'
import { describeFailure, type NetworkCommand } from './debuggerProtocol'
import type { NetworkRules } from './networkRules'

/** Sets the rule a control asks for; returns whether it could, and what it did, for the log. */
export function applyNetworkCommand(
  rules: NetworkRules,
  token: SeenToken | null,
  command: NetworkCommand,
): { ok: boolean; detail: string } {
  switch (command.type) {
    case 'expire':
      if (!token) {
        return {
          ok: false,
          detail: 'No Bearer token seen yet: let the page make a request, then try again.',
        }
      }
      rules.expired = token.fingerprint
      return {
        ok: true,
        detail: `Requests bearing the current token (${token.masked ?? 'opaque'}) are answered 401 Token expired until the page sends another.`,
      }
    case 'fail-next-refresh': {
      rules.failNextRefresh = command.failure
      const known = rules.refreshPattern !== null || rules.learned.size > 0
      return {
        ok: true,
        detail:
          `The next refresh call will fail: ${describeFailure(command.failure)}.` +
          (known
            ? ''
            : ' No refresh seen yet: the call is recognised by its URL (…/refresh, …/token) or your pattern.'),
      }
    }
    case 'set-latency':
      rules.latencyMs = command.ms
      return {
        ok: true,
        detail: command.ms > 0 ? `Every request now waits ${command.ms} ms.` : 'No added latency.',
      }
    case 'set-refresh-pattern':
      rules.refreshPattern = command.pattern
      return {
        ok: true,
        detail: command.pattern
          ? `Refresh calls are those whose URL matches ${command.pattern}.`
          : 'Refresh calls are recognised by their answers (a new token) and usual URLs.',
      }
  }
}
