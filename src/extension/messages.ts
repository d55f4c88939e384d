import type {
  BridgeCommand,
  BridgeEvent,
  PageMessage,
  SerializedError,
  SessionSnapshot,
} from 'token-refresh-kit/devtools'
import type { DebuggerView, NetworkCommand } from './debuggerProtocol'

/** The port names, so each side knows who is calling. */
export const CONTENT_PORT = 'trk-content'
export const POPUP_PORT = 'trk-popup'

/** What the content script knows of its page's bridge. */
export interface BridgeCache {
  bridge: boolean
  snapshot: SessionSnapshot | null
  events: BridgeEvent[]
}

/** Content script -> service worker. */
export type ContentToWorker =
  ({ type: 'sync' } & BridgeCache) | { type: 'page'; message: PageMessage }

/** Service worker -> content script: over the port, or `resync` with `chrome.tabs.sendMessage`. */
export type WorkerToContent =
  { type: 'command'; id: string; command: BridgeCommand } | { type: 'resync' }

/** What the popup shows for a tab. */
export interface TabView {
  tabId: number
  /** A content script runs in the tab's page. */
  content: boolean
  /** The page installed the bridge (it said hello). */
  bridge: boolean
  snapshot: SessionSnapshot | null
  /** The extension's clock when the snapshot arrived. */
  receivedAt: number | null
  events: BridgeEvent[]
}

export interface CommandResult {
  id: string
  ok: boolean
  detail: string
  error?: SerializedError
}

/** Popup -> service worker. */
export type PopupToWorker =
  | { type: 'watch'; tabId: number }
  | { type: 'command'; id: string; command: BridgeCommand }
  /** Debugger mode, for a tab without the bridge. */
  | { type: 'attach'; tabId: number }
  | { type: 'detach'; tabId: number }
  | { type: 'network'; tabId: number; id: string; label: string; command: NetworkCommand }

/** Service worker -> popup. */
export type WorkerToPopup =
  /** `probing`: the worker is still asking the tab whether a content script runs there. */
  | { type: 'view'; view: TabView; probing: boolean }
  | ({ type: 'result' } & CommandResult)
  | { type: 'debugger'; tabId: number; view: DebuggerView }
