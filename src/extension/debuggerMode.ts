import { createDebuggerSession, type DebuggerSession } from './createDebuggerSession'
import {
  detachedView,
  type DebuggerView,
  type NetworkAction,
  type NetworkCommand,
} from './debuggerProtocol'

const PROTOCOL_VERSION = '1.3'
const KEEP_ALIVE_MS = 20_000

/**
 * The service worker's side of "Attach to this tab": one debugger session per attached tab,
 * each tab on its own, so that another tab is never affected.
 */
export function createDebuggerMode(publish: (tabId: number, view: DebuggerView) => void) {
  const sessions = new Map<number, DebuggerSession>()
  const lastError = new Map<number, string>()
  let listening = false
  let keepAlive: ReturnType<typeof setInterval> | null = null

  const view = (tabId: number) =>
    sessions.get(tabId)?.view() ?? detachedView(lastError.get(tabId) ?? null)

  // Chromium stops a worker idle for 30 s; with requests paused by it, the page would hang.
  // Any extension API call counts as activity.
  function keepWorkerAlive() {
    if (sessions.size > 0 && keepAlive === null) {
      keepAlive = setInterval(() => void chrome.runtime.getPlatformInfo(), KEEP_ALIVE_MS)
    } else if (sessions.size === 0 && keepAlive !== null) {
      clearInterval(keepAlive)
      keepAlive = null
    }
  }

  function forget(tabId: number, error: string | null) {
    sessions.delete(tabId)
    if (error) lastError.set(tabId, error)
    else lastError.delete(tabId)
    keepWorkerAlive()
    publish(tabId, view(tabId))
  }

  // chrome.debugger exists only once the optional permission is granted.
  function listen() {
    if (listening || !chrome.debugger) return
    listening = true
    chrome.debugger.onEvent.addListener((source, method, params) => {
      if (source.tabId !== undefined) sessions.get(source.tabId)?.handleEvent(method, params)
    })
    chrome.debugger.onDetach.addListener((source, reason) => {
      if (source.tabId === undefined || !sessions.has(source.tabId)) return
      forget(
        source.tabId,
        reason === 'canceled_by_user'
          ? 'Detached: the browser\'s "is debugging this browser" bar was cancelled.'
          : 'Detached: the tab closed, navigated to a page the extension may not debug, or DevTools took over.',
      )
    })
  }

  return {
    view,
    /** Detaches tabs a previous run of this worker left attached: nobody would answer them. */
    async recover() {
      listen()
      if (!chrome.debugger) return
      const targets = await chrome.debugger.getTargets()
      for (const target of targets) {
        if (
          target.attached &&
          target.tabId !== undefined &&
          target.extensionId === chrome.runtime.id
        ) {
          await chrome.debugger.detach({ tabId: target.tabId }).catch(() => undefined)
        }
      }
    },
    async attach(tabId: number) {
      listen()
      if (sessions.has(tabId)) return publish(tabId, view(tabId))
      if (!chrome.debugger) {
        return forget(tabId, 'The debugger permission was not granted: attach again and allow it.')
      }
      try {
        await chrome.debugger.attach({ tabId }, PROTOCOL_VERSION)
        const session = createDebuggerSession(
          {
            send: (method, params) => chrome.debugger.sendCommand({ tabId }, method, params),
          },
          () => publish(tabId, view(tabId)),
        )
        sessions.set(tabId, session)
        await session.start()
        lastError.delete(tabId)
        keepWorkerAlive()
        publish(tabId, view(tabId))
      } catch (error) {
        sessions.delete(tabId)
        await chrome.debugger.detach({ tabId }).catch(() => undefined)
        forget(tabId, `Could not attach: ${error instanceof Error ? error.message : String(error)}`)
      }
    },
    async detach(tabId: number) {
      if (!sessions.has(tabId)) return publish(tabId, view(tabId))
      // Detaching lets every paused request go on untouched, and ends every rule.
      await chrome.debugger.detach({ tabId }).catch(() => undefined)
      forget(tabId, null)
    },
    command(
      tabId: number,
      id: string,
      label: string,
      command: NetworkCommand,
    ): NetworkAction | null {
      return sessions.get(tabId)?.command(id, label, command) ?? null
    },
    remove(tabId: number) {
      sessions.delete(tabId)
      lastError.delete(tabId)
      keepWorkerAlive()
    },
  }
}
