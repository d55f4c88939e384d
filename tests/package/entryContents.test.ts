import { describe, expect, it } from 'vitest'
import { bundleApp } from '../../bench/bundleCore'

// What an app bundles from lib/ (as built by `npm run build:lib`), read from esbuild's metafile
// with nothing external: a package in the list is one the app ships.
describe('the built entries', () => {
  it('give an app that imports only isAuthKitError no axios, jwt-decode or zustand', async () => {
    const app = await bundleApp("export { isAuthKitError } from './lib/index.js'")
    expect(app.packages).toEqual([])
    expect(app.files).toEqual(['lib/errors.js'])
  })

  it('give an app on createAuthFetch jwt-decode and zustand, so the check above sees packages, and no axios', async () => {
    const app = await bundleApp(
      "export { createAuthSession, createAuthFetch } from './lib/index.js'",
    )
    expect(app.packages).toEqual(['jwt-decode', 'zustand'])
  })

  it.each(['axios', 'react', 'devtools'])(
    'hold no copy of the engine in /%s: it imports the engine by name, so an app loads one',
    async (entry) => {
      const app = await bundleApp(`export * from './lib/${entry}.js'`, [
        'token-refresh-kit',
        'react',
      ])
      expect(app.files).toEqual([`lib/${entry}.js`])
    },
  )

  it('share the engine’s error classes and timers with /axios', async () => {
    const app = await bundleApp("export * from './lib/axios.js'", ['token-refresh-kit'])
    expect(app.imports).toEqual(['token-refresh-kit'])
  })

  it('keep axios out of /axios itself: the interceptor uses the instance it is given', async () => {
    const app = await bundleApp("export * from './lib/axios.js'", ['token-refresh-kit'])
    expect(app.packages).toEqual([])
  })
})
