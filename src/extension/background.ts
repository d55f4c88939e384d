import { parseCommand } from 'token-refresh-kit/devtools'
import { createTabRegistry } from './createTabRegistry'
import { createDebuggerMode } from './debuggerMode'
import {
  CONTENT_PORT,
  POPUP_PORT,
  type ContentToWorker,
  type PopupToWorker,
  type WorkerToContent,
  type WorkerToPopup,
} from './messages'
import { syncGrantedOrigins } from './syncGrantedOrigins'

const COMMAND_TIMEOUT_MS = 15_000
const CONTENT_WAIT_MS = 2_000

const registry = createTabRegistry()
const contentPorts = new Map<number, chrome.runtime.Port>()
const watchers = new Map<chrome.runtime.Port, number>()
const pending = new Map<
  string,
  { popup: chrome.runtime.Port; timer: ReturnType<typeof setTimeout> }
>()

const tell = (port: chrome.runtime.Port, message: WorkerToPopup) => {
  try {
    port.postMessage(message)
  } catch {
    watchers.delete(port)
  }
}

const publish = (tabId: number, probing = false) => {
  const view = registry.view(tabId)
  for (const [popup, watched] of watchers) {
    if (watched === tabId) tell(popup, { type: 'view', view, probing })
  }
}

const debuggerMode = createDebuggerMode((tabId, view) => {
  for (const [popup, watched] of watchers) {
    if (watched === tabId) tell(popup, { type: 'debugger', tabId, view })
  }
})

const settle = (
  id: string,
  result: Omit<Extract<WorkerToPopup, { type: 'result' }>, 'type' | 'id'>,
) => {
  const entry = pending.get(id)
  if (!entry) return
  pending.delete(id)
  clearTimeout(entry.timer)
  tell(entry.popup, { type: 'result', id, ...result })
}

function onContent(port: chrome.runtime.Port) {
  const tabId = port.sender?.tab?.id
  if (tabId === undefined || port.sender?.frameId !== 0) {
    port.disconnect()
    return
  }
  contentPorts.set(tabId, port)
  port.onMessage.addListener((message: ContentToWorker) => {
    if (message.type === 'sync') {
      registry.sync(tabId, message)
    } else if (message.message.type === 'result') {
      const { id, ok, detail, error } = message.message
      settle(id, { ok, detail, ...(error ? { error } : {}) })
      return
    } else {
      registry.apply(tabId, message.message)
    }
    publish(tabId)
  })
  port.onDisconnect.addListener(() => {
    if (contentPorts.get(tabId) !== port) return
    contentPorts.delete(tabId)
    registry.disconnect(tabId)
    publish(tabId)
  })
}

/** Asks the tab's content script, if there is one, to report what it knows. */
async function resync(tabId: number) {
  if (contentPorts.has(tabId)) return
  const message: WorkerToContent = { type: 'resync' }
  const answered = await chrome.tabs.sendMessage(tabId, message, { frameId: 0 }).then(
    () => true,
    () => false,
  )
  if (!answered && !contentPorts.has(tabId)) publish(tabId)
}

function onPopup(port: chrome.runtime.Port) {
  port.onMessage.addListener((message: PopupToWorker) => {
    if (message.type === 'watch') {
      watchers.set(port, message.tabId)
      const probing = !contentPorts.has(message.tabId)
      tell(port, { type: 'view', view: registry.view(message.tabId), probing })
      if (probing) void resync(message.tabId)
      tell(port, { type: 'debugger', tabId: message.tabId, view: debuggerMode.view(message.tabId) })
    } else if (message.type === 'attach') {
      void debuggerMode.attach(message.tabId)
    } else if (message.type === 'detach') {
      void debuggerMode.detach(message.tabId)
    } else if (message.type === 'network') {
      debuggerMode.command(message.tabId, message.id, message.label, message.command)
    } else {
      void forward(port, message)
    }
  })
  port.onDisconnect.addListener(() => watchers.delete(port))
}

/**
 * The tab's content port, once its content script has told what it knows. Just after this
 * worker (re)started, it waits a little for the content script that the resync woke.
 */
async function contentOf(tabId: number): Promise<chrome.runtime.Port | undefined> {
  const ready = () => contentPorts.has(tabId) && registry.view(tabId).content
  for (let waited = 0; !ready() && waited < CONTENT_WAIT_MS; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return contentPorts.get(tabId)
}

/** Sends a popup's command to the page of the tab it watches; the page's answer settles it. */
async function forward(
  popup: chrome.runtime.Port,
  message: Extract<PopupToWorker, { type: 'command' }>,
) {
  const tabId = watchers.get(popup)
  const command = parseCommand(message.command)
  const content = tabId === undefined ? undefined : await contentOf(tabId)
  if (!command || !content || tabId === undefined || !registry.view(tabId).bridge) {
    tell(popup, {
      type: 'result',
      id: message.id,
      ok: false,
      detail: 'Nothing was changed.',
      error: {
        name: 'BridgeUnavailableError',
        code: 'NO_BRIDGE',
        message: 'The page is not connected: reload it, and check that it installs the bridge.',
      },
    })
    return
  }
  const timer = setTimeout(
    () =>
      settle(message.id, {
        ok: false,
        detail: 'The page did not answer.',
        error: {
          name: 'BridgeTimeoutError',
          code: 'TIMEOUT',
          message: `The page did not answer within ${COMMAND_TIMEOUT_MS / 1000} s: is it frozen or reloading?`,
        },
      }),
    COMMAND_TIMEOUT_MS,
  )
  pending.set(message.id, { popup, timer })
  content.postMessage({ type: 'command', id: message.id, command } satisfies WorkerToContent)
}

chrome.runtime.onConnect.addListener((port) => {
  // Only this extension's own pages and content scripts can reach onConnect; the sender's URL
  // tells them apart.
  const fromExtensionPage = port.sender?.url?.startsWith(chrome.runtime.getURL('')) ?? false
  if (port.name === CONTENT_PORT && !fromExtensionPage) onContent(port)
  else if (port.name === POPUP_PORT && fromExtensionPage) onPopup(port)
  else port.disconnect()
})

chrome.tabs.onRemoved.addListener((tabId) => {
  contentPorts.delete(tabId)
  registry.remove(tabId)
  debuggerMode.remove(tabId)
})

chrome.permissions.onAdded.addListener(() => void syncGrantedOrigins({ injectOpenTabs: true }))
chrome.permissions.onRemoved.addListener(() => void syncGrantedOrigins({ injectOpenTabs: false }))
void syncGrantedOrigins({ injectOpenTabs: false })
void debuggerMode.recover()
