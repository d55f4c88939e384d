import { describe, expect, it } from 'vitest'
import { AXIOS_APP, FETCH_APP, bundleCore } from '../../../bench/bundleCore'

describe('an app on createAuthFetch', () => {
  it('bundles no axios', async () => {
    const app = await bundleCore(FETCH_APP)
    expect(app.packages).not.toContain('axios')
    expect(app.packages).toEqual(expect.arrayContaining(['jwt-decode', 'zustand']))
  })

  it('finds axios in an app on the interceptor, so the check above sees what it looks for', async () => {
    const app = await bundleCore(AXIOS_APP)
    expect(app.packages).toContain('axios')
  })
})
