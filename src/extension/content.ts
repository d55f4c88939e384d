import {
  envelope,
  readBridgeMessage,
  type ExtensionMessage,
  type PageMessage,
} from 'token-refresh-kit/devtools'
import {
  CONTENT_PORT,
  type BridgeCache,
  type ContentToWorker,
  type WorkerToContent,
} from './messages'
import { mergeEvents } from './createTabRegistry'

// Runs as a classic script in the page's isolated world: at document_start on localhost and
// 127.0.0.1, or injected later into an origin the tester granted. It only relays; the page's
// bridge decides what crosses.
const marker = Symbol.for('token-refresh-kit.content')
const scope = globalThis as { [marker]?: true }

if (!scope[marker]) {
  scope[marker] = true
  start()
}

function start() {
  const cache: BridgeCache = { bridge: false, snapshot: null, events: [] }
  let port: chrome.runtime.Port | null = null

  const toPage = (message: ExtensionMessage) =>
    window.postMessage(envelope(message, 'extension'), window.location.origin)

  // The port opens only once the page's bridge speaks, or the popup asks (resync): a page
  // without the bridge never wakes the service worker.
  const relay = (message?: PageMessage) => {
    try {
      if (port && message) port.postMessage({ type: 'page', message } satisfies ContentToWorker)
      else connect().postMessage({ type: 'sync', ...cache } satisfies ContentToWorker)
    } catch {
      // The extension was reloaded or removed: this copy of the script is orphaned.
      stop()
    }
  }

  const connect = (): chrome.runtime.Port => {
    if (port) return port
    const opened = chrome.runtime.connect({ name: CONTENT_PORT })
    port = opened
    opened.onMessage.addListener((message: WorkerToContent) => {
      if (message.type === 'command') {
        toPage({ type: 'command', id: message.id, command: message.command })
      }
    })
    // The service worker sleeps when idle; the next message or a resync wakes it again.
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = null
    })
    return opened
  }

  const onMessage = (event: MessageEvent) => {
    const message = readBridgeMessage(event, 'page')
    if (!message) return
    switch (message.type) {
      case 'hello':
        cache.bridge = true
        cache.snapshot = message.snapshot
        cache.events = mergeEvents(cache.events, message.events)
        break
      case 'state':
        cache.bridge = true
        cache.snapshot = message.snapshot
        break
      case 'event':
        cache.bridge = true
        cache.events = mergeEvents(cache.events, [message.event])
        break
      case 'goodbye':
        cache.bridge = false
        cache.snapshot = null
        break
      case 'result':
        break
    }
    // Without a port, the cache (already updated) goes as a sync; a result whose asker is
    // gone with the old port is dropped.
    relay(message)
  }

  const onRuntimeMessage = (
    message: WorkerToContent,
    _sender: chrome.runtime.MessageSender,
    respond: (answer: { ok: true }) => void,
  ) => {
    if (message?.type !== 'resync') return
    relay()
    respond({ ok: true })
  }

  function stop() {
    window.removeEventListener('message', onMessage)
    try {
      chrome.runtime.onMessage.removeListener(onRuntimeMessage)
    } catch {
      // Already orphaned.
    }
    port = null
  }

  window.addEventListener('message', onMessage)
  chrome.runtime.onMessage.addListener(onRuntimeMessage)
  // Declared content scripts run before the page's own scripts and hear the bridge's hello;
  // one injected later into an open page asks for it.
  if (document.readyState !== 'loading') toPage({ type: 'ping' })
}
