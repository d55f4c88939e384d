import { applyNetworkCommand } from './applyNetworkCommand'
import { bearerOf, seeToken, tokenFingerprint, tokensIn, type SeenToken } from './decodeBearer'
import { type DebuggerView, type NetworkAction, type NetworkCommand } from './debuggerProtocol'
import {
  decideRequest,
  emptyRules,
  expiredResponse,
  failedRefreshResponse,
  isRefreshCall,
  isSignIn,
  urlKey,
  type NetworkRules,
} from './networkRules'
import { summarizeTraffic, type TrafficEntry } from './summarizeTraffic'

/** The Chrome DevTools Protocol, as chrome.debugger gives it for one attached tab. */
export interface DebuggerTarget {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>
}

interface PausedRequest {
  requestId: string
  networkId?: string
  request: { url: string; method: string; headers: Record<string, string> }
  responseStatusCode?: number
  responseErrorReason?: string
  responseHeaders?: Array<{ name: string; value: string }>
}

interface Action extends NetworkAction {
  entries: TrafficEntry[]
}

const KEPT_ACTIONS = 3
const ENTRIES_PER_ACTION = 100
// Only what a page's code sends: documents, scripts and images pass untouched.
const PATTERNS = ['XHR', 'Fetch'].flatMap((resourceType) =>
  (['Request', 'Response'] as const).map((requestStage) => ({
    urlPattern: '*',
    resourceType,
    requestStage,
  })),
)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const toBase64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)))
const header = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? null

/**
 * One tab in debugger mode: pauses the page's XHR and fetch calls (Fetch domain) to see the
 * Bearer tokens they carry and the answers that bring a new one, and breaks them as the tester
 * asked. It keeps fingerprints and claims of tokens, never a token.
 */
export function createDebuggerSession(target: DebuggerTarget, onChange: () => void) {
  const rules: NetworkRules & { learned: Set<string> } = { ...emptyRules(), learned: new Set() }
  let token: SeenToken | null = null
  let actions: Action[] = []
  const inFlight = new Map<string, { entry: TrafficEntry; bearer: string | null }>()
  // Requests answered 401, by method and URL, with the token they bore, not yet sent again.
  const rejected = new Map<string, Array<string | null>>()

  /** Whether this request repeats one answered 401, with another token: a retry. */
  function takeRejected(key: string, fingerprint: string | null): boolean {
    const bore = rejected.get(key) ?? []
    const index = bore.findIndex((old) => old !== fingerprint)
    if (index === -1) return false
    bore.splice(index, 1)
    return true
  }

  const send = (method: string, params: Record<string, unknown>) =>
    // A request the page cancelled, or a tab that closed meanwhile, is not an error here.
    target.send(method, params).catch(() => undefined)

  function record(entry: TrafficEntry) {
    const latest = actions[0]
    if (latest && latest.entries.length < ENTRIES_PER_ACTION) latest.entries.push(entry)
  }

  function settle(entry: TrafficEntry, status: number | 'network', bore: string | null) {
    entry.status = status
    if (status === 401 && !entry.refresh) {
      const key = `${entry.method} ${entry.url}`
      rejected.set(key, [...(rejected.get(key) ?? []), bore])
    }
    onChange()
  }

  async function onRequest(paused: PausedRequest) {
    const { requestId, request } = paused
    // A CORS preflight is the browser's, not the page's: it carries no token and is no refresh.
    if (request.method === 'OPTIONS') {
      await send('Fetch.continueRequest', { requestId })
      return
    }
    const bearer = bearerOf(request.headers)
    const fingerprint = bearer ? tokenFingerprint(bearer) : null
    const refresh = isRefreshCall(request.url, rules)
    if (bearer && fingerprint !== token?.fingerprint) token = seeToken(bearer)
    if (!refresh && rules.expired !== null && fingerprint && fingerprint !== rules.expired) {
      rules.expired = null
      if (actions[0]?.label === 'Expire access token') {
        actions[0].detail += ' Ended: the page sent another token.'
      }
    }
    const retry = !refresh && takeRejected(`${request.method} ${urlKey(request.url)}`, fingerprint)
    const entry: TrafficEntry = {
      method: request.method,
      url: urlKey(request.url),
      refresh,
      retry,
      status: null,
    }
    record(entry)
    inFlight.set(paused.networkId ?? requestId, { entry, bearer: fingerprint })
    onChange()

    const decision = decideRequest({ url: request.url, bearer: fingerprint }, rules)
    if (decision.type === 'fail-refresh') rules.failNextRefresh = null
    if (decision.delayMs > 0) await sleep(decision.delayMs)
    const origin = header(request.headers, 'origin')
    if (decision.type === 'expired') {
      await fulfil(requestId, expiredResponse(origin))
      settle(entry, 401, fingerprint)
    } else if (decision.type === 'fail-refresh') {
      const { failure } = decision
      if (failure.kind === 'network') {
        await send('Fetch.failRequest', { requestId, errorReason: 'ConnectionRefused' })
        settle(entry, 'network', fingerprint)
      } else if (failure.kind === 'slow') {
        await sleep(failure.seconds * 1000)
        await send('Fetch.continueRequest', { requestId })
      } else {
        await fulfil(requestId, failedRefreshResponse(failure.kind, origin))
        settle(entry, failure.kind, fingerprint)
      }
    } else {
      await send('Fetch.continueRequest', { requestId })
    }
  }

  async function fulfil(
    requestId: string,
    answer: { status: number; headers: Array<{ name: string; value: string }>; body: string },
  ) {
    await send('Fetch.fulfillRequest', {
      requestId,
      responseCode: answer.status,
      responseHeaders: answer.headers,
      body: toBase64(answer.body),
    })
  }

  async function onResponse(paused: PausedRequest) {
    const { requestId } = paused
    const known = inFlight.get(paused.networkId ?? requestId)
    inFlight.delete(paused.networkId ?? requestId)
    const status = paused.responseStatusCode ?? null
    if (known && status !== null && status >= 200 && status < 300) {
      const type = paused.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-type')
      if (type && /json|text/i.test(type.value)) {
        const body = (await send('Fetch.getResponseBody', { requestId })) as
          { body: string; base64Encoded: boolean } | undefined
        const text = body ? (body.base64Encoded ? atob(body.body) : body.body) : ''
        const fresh = tokensIn(text).some((found) => found !== known.bearer)
        if (fresh && !isSignIn(paused.request.url)) {
          known.entry.refresh = true
          rules.learned.add(known.entry.url)
        }
      }
    }
    await send('Fetch.continueResponse', { requestId })
    if (known) {
      settle(
        known.entry,
        paused.responseErrorReason ? 'network' : (status ?? 'network'),
        known.bearer,
      )
    }
  }

  function act(id: string, label: string, command: NetworkCommand): NetworkAction {
    const { ok, detail } = applyNetworkCommand(rules, token, command)
    const action: Action = { id, label, ok, detail, next: null, entries: [] }
    actions = [action, ...actions].slice(0, KEPT_ACTIONS)
    onChange()
    return action
  }

  return {
    /** Starts pausing the page's XHR and fetch calls. */
    start: () => target.send('Fetch.enable', { patterns: PATTERNS }),
    /** A Chrome DevTools Protocol event of this tab. */
    handleEvent(method: string, params: unknown) {
      if (method !== 'Fetch.requestPaused') return
      const paused = params as PausedRequest
      const atResponse =
        paused.responseStatusCode !== undefined || paused.responseErrorReason !== undefined
      void (atResponse ? onResponse(paused) : onRequest(paused))
    },
    command: act,
    view(): DebuggerView {
      return {
        attached: true,
        token: token ? { claims: token.claims, masked: token.masked } : null,
        expireActive: rules.expired !== null,
        failNextRefresh: rules.failNextRefresh,
        latencyMs: rules.latencyMs,
        refreshPattern: rules.refreshPattern,
        actions: actions.map(({ entries, ...action }) => ({
          ...action,
          next: summarizeTraffic(entries),
        })),
        error: null,
      }
    },
  }
}

export type DebuggerSession = ReturnType<typeof createDebuggerSession>
