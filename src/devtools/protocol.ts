import type { AccessTokenClaims, AuthEvent, AuthStatus, EndReason } from 'token-refresh-kit'
// The mocks own the failures they can simulate; a type-only import from a file that imports
// nothing, so /devtools carries neither their code nor msw's types.
import type { FailRefreshStatus } from '../../mocks/auth/failRefreshStatus'

export type { FailRefreshStatus }

/** The namespace every bridge message carries; anything else on `window` is ignored. */
export const BRIDGE_NAMESPACE = 'token-refresh-kit'

/** Bumped on any incompatible change; a page and an extension of different versions ignore each other. */
export const BRIDGE_VERSION = 1

/** Who posted a message: the page's bridge or the extension's content script. */
export type BridgeDirection = 'page' | 'extension'

/** An error as it crosses the bridge: never the error object, never its cause. */
export interface SerializedError {
  name: string
  code: string | null
  message: string
}

/** Swaps the error objects of an event for their serialized form. */
type WithSerializedError<E> = E extends { error: infer X }
  ? Omit<E, 'error'> & { error: null extends X ? SerializedError | null : SerializedError }
  : E

/** An `AuthEvent` as it crosses the bridge. */
export type BridgeEvent = WithSerializedError<AuthEvent>

/** What the extension may see of a session: claims and a masked token, never a token. */
export interface SessionSnapshot {
  status: AuthStatus
  claims: AccessTokenClaims | null
  /** Local epoch ms at which the access token expires. */
  expiresAt: number | null
  /** The page's clock when the snapshot was taken, so the extension can count down from it. */
  now: number
  refreshCount: number
  lastRefreshAt: number | null
  error: SerializedError | null
  endReason: EndReason | null
  /** The start and end of the token's signed part (header and payload); never the signature. */
  maskedToken: string | null
  /** Whether the page passed mock controls (fail next refresh, revoke, lifetime). */
  mock: boolean
}

/** What the extension asks the page to do. */
export type BridgeCommand =
  | { type: 'expire' }
  | { type: 'invalidate' }
  | { type: 'fail-next-refresh'; status: FailRefreshStatus }
  | { type: 'revoke' }
  | { type: 'set-lifetime'; seconds: number }
  | { type: 'refresh' }

export type BridgeCommandType = BridgeCommand['type']

/** Commands that need the page's mock controls. */
export const MOCK_COMMANDS: ReadonlySet<BridgeCommandType> = new Set([
  'fail-next-refresh',
  'revoke',
  'set-lifetime',
])

/** Bounds of `set-lifetime`, in seconds. */
export const LIFETIME_LIMITS = { min: 5, max: 86_400 } as const

/** Messages the page's bridge posts. */
export type PageMessage =
  | { type: 'hello'; snapshot: SessionSnapshot; events: BridgeEvent[] }
  | { type: 'state'; snapshot: SessionSnapshot }
  | { type: 'event'; event: BridgeEvent }
  | { type: 'result'; id: string; ok: boolean; detail: string; error?: SerializedError }
  | { type: 'goodbye' }

/** Messages the extension's content script posts. */
export type ExtensionMessage =
  { type: 'ping' } | { type: 'command'; id: string; command: BridgeCommand }

interface Envelope {
  namespace: string
  version: number
}

export type PageEnvelope = PageMessage & Envelope & { direction: 'page' }
export type ExtensionEnvelope = ExtensionMessage & Envelope & { direction: 'extension' }

/** How many events the bridge and the extension keep. */
export const EVENT_HISTORY_LIMIT = 50

type Dict = Record<string, unknown>

const isDict = (value: unknown): value is Dict =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isFailRefreshStatus = (value: unknown): value is FailRefreshStatus =>
  value === 401 || value === 500 || value === 'network'

/** The command in `value` when it is well formed, else `null`. */
export function parseCommand(value: unknown): BridgeCommand | null {
  if (!isDict(value)) return null
  switch (value.type) {
    case 'expire':
    case 'invalidate':
    case 'revoke':
    case 'refresh':
      return { type: value.type }
    case 'fail-next-refresh':
      return isFailRefreshStatus(value.status) ? { type: value.type, status: value.status } : null
    case 'set-lifetime': {
      const seconds = value.seconds
      return typeof seconds === 'number' &&
        Number.isInteger(seconds) &&
        seconds >= LIFETIME_LIMITS.min &&
        seconds <= LIFETIME_LIMITS.max
        ? { type: value.type, seconds }
        : null
    }
    default:
      return null
  }
}

const STATUSES = new Set(['anonymous', 'authenticated', 'refreshing', 'ended'])
const isNumberOrNull = (value: unknown) => value === null || typeof value === 'number'

function isSnapshot(value: unknown): value is SessionSnapshot {
  return (
    isDict(value) &&
    STATUSES.has(value.status as string) &&
    (value.claims === null || isDict(value.claims)) &&
    isNumberOrNull(value.expiresAt) &&
    typeof value.now === 'number' &&
    typeof value.refreshCount === 'number' &&
    isNumberOrNull(value.lastRefreshAt) &&
    (value.maskedToken === null || typeof value.maskedToken === 'string') &&
    typeof value.mock === 'boolean'
  )
}

function isEvent(value: unknown): value is BridgeEvent {
  return isDict(value) && typeof value.type === 'string' && typeof value.at === 'number'
}

function parsePageMessage(data: Dict): PageMessage | null {
  switch (data.type) {
    case 'hello':
      return isSnapshot(data.snapshot) && Array.isArray(data.events)
        ? {
            type: 'hello',
            snapshot: data.snapshot,
            events: (data.events as unknown[]).filter(isEvent),
          }
        : null
    case 'state':
      return isSnapshot(data.snapshot) ? { type: 'state', snapshot: data.snapshot } : null
    case 'event':
      return isEvent(data.event)
        ? { type: 'event', event: data.event as unknown as BridgeEvent }
        : null
    case 'result':
      return typeof data.id === 'string' && typeof data.ok === 'boolean'
        ? {
            type: 'result',
            id: data.id,
            ok: data.ok,
            detail: typeof data.detail === 'string' ? data.detail : '',
            ...(isDict(data.error) ? { error: serializeError(data.error) } : {}),
          }
        : null
    case 'goodbye':
      return { type: 'goodbye' }
    default:
      return null
  }
}

function parseExtensionMessage(data: Dict): ExtensionMessage | null {
  if (data.type === 'ping') return { type: 'ping' }
  if (data.type !== 'command' || typeof data.id !== 'string' || data.id.length > 100) return null
  const command = parseCommand(data.command)
  return command ? { type: 'command', id: data.id, command } : null
}

export function readBridgeMessage(
  event: MessageEvent,
  direction: 'page',
  namespace?: string,
): PageMessage | null
export function readBridgeMessage(
  event: MessageEvent,
  direction: 'extension',
  namespace?: string,
): ExtensionMessage | null
/**
 * The bridge message in `event` when it comes from this very window and origin, in this
 * namespace and protocol version, from the expected side, and is well formed; else `null`.
 */
export function readBridgeMessage(
  event: MessageEvent,
  direction: BridgeDirection,
  namespace: string = BRIDGE_NAMESPACE,
): PageMessage | ExtensionMessage | null {
  // Another frame or window (even of the same origin) is never the bridge's peer: the page
  // and its content script share this one window.
  if (event.source !== window || event.origin !== window.location.origin) return null
  const data: unknown = event.data
  if (!isDict(data)) return null
  if (data.namespace !== namespace || data.version !== BRIDGE_VERSION) return null
  if (data.direction !== direction) return null
  return direction === 'page' ? parsePageMessage(data) : parseExtensionMessage(data)
}

/** Wraps a message in the envelope the other side checks. */
export function envelope<M extends PageMessage | ExtensionMessage>(
  message: M,
  direction: BridgeDirection,
  namespace: string = BRIDGE_NAMESPACE,
): M & Envelope & { direction: BridgeDirection } {
  const wrapping: Envelope & { direction: BridgeDirection } = {
    namespace,
    version: BRIDGE_VERSION,
    direction,
  }
  return Object.assign({}, message, wrapping)
}

/** `{name, code, message}` of any thrown value, with nothing else of it. */
export function serializeError(error: unknown): SerializedError {
  if (isDict(error) || error instanceof Error) {
    const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown }
    return {
      name: typeof name === 'string' ? name : 'Error',
      code: typeof code === 'string' ? code : null,
      message: typeof message === 'string' ? message : String(error),
    }
  }
  return { name: 'Error', code: null, message: String(error) }
}

/**
 * A recognisable, harmless form of an access token: the first 6 and the last 4 characters of
 * its signed part (header and payload, which the claims show anyway). The signature, which is
 * what would let someone reuse the token, never appears. `null` for no token.
 */
export function maskToken(token: string | null | undefined): string | null {
  if (!token) return null
  const parts = token.split('.')
  if (parts.length !== 3) return `(${token.length} characters, not a JWT)`
  const signed = `${parts[0]}.${parts[1]}`
  if (signed.length < 16) return '…'
  return `${signed.slice(0, 6)}…${signed.slice(-4)}`
}
