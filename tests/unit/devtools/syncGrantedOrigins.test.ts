import { afterEach, describe, expect, it, vi } from 'vitest'
import { originPattern, syncGrantedOrigins } from '../../../src/extension/syncGrantedOrigins'

const DECLARED = ['http://localhost/*', 'http://127.0.0.1/*']

/** The few chrome.* calls the function makes, over an in-memory browser. */
function fakeChrome(
  granted: string[],
  registered: string[] | null,
  tabs: Array<{ id: number; url: string }>,
) {
  const state = { registered }
  const api = {
    runtime: { getManifest: () => ({ host_permissions: DECLARED }) },
    permissions: { getAll: async () => ({ origins: [...DECLARED, ...granted] }) },
    scripting: {
      getRegisteredContentScripts: async () =>
        state.registered ? [{ id: 'token-refresh-kit-granted' }] : [],
      registerContentScripts: vi.fn(async ([script]: Array<{ matches: string[] }>) => {
        state.registered = script!.matches
      }),
      updateContentScripts: vi.fn(async ([script]: Array<{ matches: string[] }>) => {
        state.registered = script!.matches
      }),
      unregisterContentScripts: vi.fn(async () => {
        state.registered = null
      }),
      executeScript: vi.fn(async () => []),
    },
    tabs: {
      query: vi.fn(async ({ url }: { url: string[] }) =>
        tabs.filter((tab) => url.some((pattern) => tab.url.startsWith(pattern.replace('/*', '')))),
      ),
    },
  }
  vi.stubGlobal('chrome', api)
  return { api, state }
}

afterEach(() => vi.unstubAllGlobals())

describe('syncGrantedOrigins', () => {
  it('registers the content script for the sites granted beyond localhost, and injects it into their open tabs', async () => {
    const { api, state } = fakeChrome(['https://app.example.com/*'], null, [
      { id: 1, url: 'https://app.example.com/jobs' },
      { id: 2, url: 'https://other.example.org/' },
    ])
    await syncGrantedOrigins({ injectOpenTabs: true })

    expect(state.registered).toEqual(['https://app.example.com/*'])
    expect(api.scripting.registerContentScripts).toHaveBeenCalledWith([
      expect.objectContaining({
        js: ['content.js'],
        runAt: 'document_start',
        persistAcrossSessions: true,
      }),
    ])
    expect(api.scripting.executeScript.mock.calls).toEqual([
      [{ target: { tabId: 1 }, files: ['content.js'] }],
    ])
  })

  it('updates the registration when the grants change, without injecting on start-up', async () => {
    const { api, state } = fakeChrome(
      ['https://a.test/*', 'https://b.test/*'],
      ['https://a.test/*'],
      [{ id: 1, url: 'https://b.test/' }],
    )
    await syncGrantedOrigins({ injectOpenTabs: false })
    expect(state.registered).toEqual(['https://a.test/*', 'https://b.test/*'])
    expect(api.scripting.registerContentScripts).not.toHaveBeenCalled()
    expect(api.scripting.executeScript).not.toHaveBeenCalled()
  })

  it('unregisters once no site beyond localhost is granted', async () => {
    const { state } = fakeChrome([], ['https://a.test/*'], [])
    await syncGrantedOrigins({ injectOpenTabs: false })
    expect(state.registered).toBeNull()
  })
})

describe('originPattern', () => {
  it('grants the whole origin, whatever its port and path', () => {
    expect(originPattern('https://app.example.com:8443/jobs?x=1')).toBe('https://app.example.com/*')
    expect(originPattern('http://localhost:5173/')).toBe('http://localhost/*')
  })

  it('refuses what is not a web page', () => {
    expect(originPattern('chrome://extensions')).toBeNull()
    expect(originPattern('file:///tmp/a.html')).toBeNull()
    expect(originPattern('not a url')).toBeNull()
  })
})
