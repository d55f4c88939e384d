import { createPopup, type SiteAccess } from './createPopup'
import { detachedView } from './debuggerProtocol'
import { h } from './h'
import { POPUP_PORT, type PopupToWorker, type WorkerToPopup } from './messages'
import { originPattern } from './syncGrantedOrigins'

// The popup, the DevTools panel and a tab opened at popup.html?tabId=N (for automation) all
// run this: they differ only in how they learn which tab to show.
async function findTabId(): Promise<number | null> {
  const fromUrl = Number(new URLSearchParams(location.search).get('tabId'))
  if (Number.isInteger(fromUrl) && fromUrl > 0) return fromUrl
  const inspected = chrome.devtools?.inspectedWindow?.tabId
  if (typeof inspected === 'number') return inspected
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true })
  return tab?.id ?? null
}

async function siteAccess(tabId: number): Promise<SiteAccess> {
  try {
    const tab = await chrome.tabs.get(tabId)
    const url = tab.url || tab.pendingUrl || null
    const pattern = url ? originPattern(url) : null
    const granted = pattern ? await chrome.permissions.contains({ origins: [pattern] }) : false
    return { url, granted }
  } catch {
    // A closed tab, or a context without these APIs: the notice then says what it can.
    return { url: null, granted: false }
  }
}

// popup.html opened in a tab of its own, without `?tabId=N`, would inspect itself: it says
// instead how to point it at a tab, with links for the tabs it may inspect.
async function showUsage(root: HTMLElement): Promise<void> {
  const tabs = await chrome.tabs.query({})
  const pages = tabs.filter((tab) => tab.id !== undefined && /^https?:/.test(tab.url ?? ''))
  root.replaceChildren(
    h(
      'section',
      { class: 'notice' },
      h('p', { class: 'headline' }, 'This page inspects one tab, and none was named.'),
      h(
        'p',
        {},
        "Open it from the extension's toolbar button on the app's tab, or add ",
        h('code', {}, '?tabId=N'),
        ' to this address, where N is the id of the tab to inspect.',
      ),
      pages.length > 0
        ? h(
            'ul',
            { class: 'tabs' },
            ...pages.map((tab) =>
              h(
                'li',
                {},
                h('a', { href: `?tabId=${tab.id}` }, `tabId=${tab.id}`),
                ` ${tab.title ?? ''} (${tab.url})`,
              ),
            ),
          )
        : h('p', {}, 'No tab on a site the extension may inspect is open: open the app first.'),
    ),
  )
}

async function main() {
  const root = document.getElementById('app')!
  const params = new URLSearchParams(location.search)
  if (params.has('panel')) document.body.classList.add('panel')
  else if (params.has('tabId')) document.body.classList.add('tab')
  if (!params.has('tabId') && !params.has('panel') && (await chrome.tabs.getCurrent())) {
    await showUsage(root)
    return
  }
  const tabId = await findTabId()
  if (tabId === null) {
    root.textContent = 'No tab to inspect.'
    return
  }
  let port: chrome.runtime.Port | null = null
  const post = (message: PopupToWorker) => port?.postMessage(message)
  // Chromium stops an idle service worker and cuts its ports; reconnecting wakes it, and the
  // worker asks the tab's content script to tell it all again.
  const connect = () => {
    const opened = chrome.runtime.connect({ name: POPUP_PORT })
    port = opened
    opened.onMessage.addListener((message: WorkerToPopup) => {
      if (message.type === 'view') popup.showView(message.view, message.probing)
      else if (message.type === 'debugger') popup.showDebugger(message.view)
      else popup.showResult(message)
    })
    opened.onDisconnect.addListener(() => {
      if (port !== opened) return
      port = null
      popup.interrupt()
      setTimeout(connect, 200)
    })
    opened.postMessage({ type: 'watch', tabId } satisfies PopupToWorker)
  }
  const inject = () =>
    chrome.scripting
      .executeScript({ target: { tabId }, files: ['content.js'] })
      .then(() => post({ type: 'watch', tabId }))
      .catch(() => undefined)

  const popup = createPopup(root, {
    sendCommand: (command, id) => {
      if (port) return post({ type: 'command', id, command })
      popup.showResult({
        id,
        ok: false,
        detail: 'Nothing was sent.',
        error: { name: 'Error', code: null, message: 'The extension is reconnecting: try again.' },
      })
    },
    requestAccess: async () => {
      const access = await siteAccess(tabId)
      const pattern = access.url ? originPattern(access.url) : null
      if (!pattern) return
      // The service worker also injects on permissions.onAdded, in case the prompt closes us.
      if (await chrome.permissions.request({ origins: [pattern] })) {
        popup.setAccess(await siteAccess(tabId))
        await inject()
      }
    },
    connect: inject,
    attach: async () => {
      // Asked for on use, not at install. Called first thing in the click: an await before it
      // would lose the user gesture the prompt needs. Already granted, it resolves true at once.
      const permission: chrome.permissions.Permissions = { permissions: ['debugger'] }
      const granted = await chrome.permissions
        .request(permission)
        .catch(() => chrome.permissions.contains(permission))
      if (granted) post({ type: 'attach', tabId })
      else popup.showDebugger(detachedView('Not attached: the debugger permission was refused.'))
    },
    detach: () => post({ type: 'detach', tabId }),
    sendNetwork: (label, command) =>
      post({ type: 'network', tabId, id: `${Date.now()}-${Math.random()}`, label, command }),
  })
  connect()
  const access = await siteAccess(tabId)
  popup.setAccess(access)
  const site = document.getElementById('site')
  if (site) {
    site.textContent = access.url ? new URL(access.url).host : `tab ${tabId}`
    site.title = `${access.url ?? 'this tab'} (tab ${tabId})`
  }
  setInterval(() => popup.tick(), 1000)
}

void main()
