import { describe, expect, it } from 'vitest'
import { bundleCore } from '../../../bench/bundleCore'

const AXIOS_APP = `import axios from 'axios'
import { createAuthSession, attachAuthInterceptor } from './index'
const session = createAuthSession()
attachAuthInterceptor(axios.create(), session)
`

describe('an app on createAuthFetch', () => {
  it('bundles no axios', async () => {
    const app = await bundleCore(`export { createAuthSession, createAuthFetch } from './index'`)
    expect(app.packages).not.toContain('axios')
    expect(app.packages).toEqual(expect.arrayContaining(['jwt-decode', 'zustand']))
  })

  it('finds axios in an app on the interceptor, so the check above sees what it looks for', async () => {
    const app = await bundleCore(AXIOS_APP)
    expect(app.packages).toContain('axios')
  })
})
