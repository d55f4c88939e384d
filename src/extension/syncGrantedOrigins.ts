const SCRIPT_ID = 'token-refresh-kit-granted'

/** The match pattern that grants a whole origin, whatever its port: `https://example.com/*`. */
export function originPattern(url: string): string | null {
  try {
    const { protocol, hostname } = new URL(url)
    return protocol === 'http:' || protocol === 'https:' ? `${protocol}//${hostname}/*` : null
  } catch {
    return null
  }
}

/**
 * Registers the content script for the origins the tester granted at runtime (beyond the
 * manifest's localhost and 127.0.0.1), and with `injectOpenTabs` injects it into their open
 * tabs at once, so "Allow on this site" needs no reload.
 */
export async function syncGrantedOrigins({ injectOpenTabs }: { injectOpenTabs: boolean }) {
  const declared = new Set(chrome.runtime.getManifest().host_permissions ?? [])
  const { origins = [] } = await chrome.permissions.getAll()
  const granted = origins.filter((origin) => !declared.has(origin))
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] })
  if (granted.length === 0) {
    if (existing.length > 0) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] })
    return
  }
  const script: chrome.scripting.RegisteredContentScript = {
    id: SCRIPT_ID,
    matches: granted,
    js: ['content.js'],
    runAt: 'document_start',
    persistAcrossSessions: true,
  }
  if (existing.length > 0) await chrome.scripting.updateContentScripts([script])
  else await chrome.scripting.registerContentScripts([script])
  if (!injectOpenTabs) return
  const tabs = await chrome.tabs.query({ url: granted })
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : chrome.scripting
            .executeScript({ target: { tabId: tab.id }, files: ['content.js'] })
            .catch(() => undefined),
    ),
  )
}
