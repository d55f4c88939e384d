import { button } from './button'
import { h } from './h'
import type { TabView } from './messages'

/** Where the popup stands with the tab's site, for the "no access" notice. */
export interface SiteAccess {
  /** The tab's URL, when the extension may know it. */
  url: string | null
  /** The extension holds host permission for the site. */
  granted: boolean
}

export interface AccessNoticeActions {
  /** Asks the tester for access to the tab's site ("Allow on this site"). */
  requestAccess(): Promise<void>
  /** Injects the content script into a tab of a site already granted. */
  connect(): Promise<void>
}

/** What stands between the popup and a session: still looking, no access to the site, or no bridge. */
export function createAccessNotice(actions: AccessNoticeActions) {
  const el = h('section', { class: 'notice', 'aria-live': 'polite' })

  function content(view: TabView | null, probing: boolean, access: SiteAccess | null) {
    if (!view || (!view.content && probing)) return [h('p', {}, 'Looking for the page…')]
    if (!view.content) return noAccess(access)
    if (!view.bridge) return noBridge()
    return null
  }

  function noAccess(access: SiteAccess | null): Node[] {
    const url = access?.url ?? null
    const origin = webOrigin(url)
    if (url && !origin) {
      return [
        h(
          'p',
          {},
          'This tab is not a web page the extension can inspect (only http and https pages).',
        ),
      ]
    }
    if (!origin) {
      return [
        h(
          'p',
          {},
          "The extension cannot reach this tab: it runs on localhost and 127.0.0.1 only, unless you allow a site. Open this popup from the extension's toolbar button on that tab to allow it.",
        ),
      ]
    }
    if (access?.granted) {
      return [
        h('p', {}, `The page at ${origin} was opened before the extension could join it.`),
        button('Connect to this page', () => void actions.connect()),
      ]
    }
    return [
      h(
        'p',
        {},
        `The extension has no access to ${origin}: by default it runs only on localhost and 127.0.0.1.`,
      ),
      button('Allow on this site', () => void actions.requestAccess()),
    ]
  }

  return {
    el,
    /** Shows the notice, or hides it and returns true when there is a session to show. */
    render(view: TabView | null, probing: boolean, access: SiteAccess | null): boolean {
      const message = content(view, probing, access)
      el.replaceChildren(...(message ?? []))
      el.hidden = message === null
      return message === null
    },
  }
}

function noBridge(): Node[] {
  return [
    h(
      'p',
      { class: 'headline' },
      'This page has not installed the Token Refresh Kit bridge, so there is no session to show.',
    ),
    h(
      'p',
      {},
      'Fix: in the app, in development builds, call ',
      h('code', {}, 'installDevtoolsBridge(session)'),
      ' (from ',
      h('code', {}, 'token-refresh-kit/devtools'),
      '), and pass ',
      h('code', {}, '{ mock }'),
      ' when it runs on the mocks. Then reload the page.',
    ),
  ]
}

/** The origin of an http or https URL, else null. */
function webOrigin(url: string | null): string | null {
  try {
    const parsed = url ? new URL(url) : null
    return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')
      ? parsed.origin
      : null
  } catch {
    return null
  }
}
