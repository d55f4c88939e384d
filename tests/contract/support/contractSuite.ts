import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createMockApi, forgeToken, jobForm, type MockApi } from './mockApi'

export interface ContractTarget {
  baseUrl: string
  close: () => Promise<void>
}

/**
 * The API contract of DESIGN.md, written once and run against every way the mocks are
 * served (real HTTP and msw/node), so both paths stay equal.
 */
export function defineContractSuite(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`API contract (${name})`, () => {
    let target: ContractTarget
    let api: MockApi

    // Spawning the real server (tsx) can take a while on a busy machine.
    beforeAll(async () => {
      target = await setup()
      api = createMockApi(target.baseUrl)
    }, 30_000)
    afterAll(async () => {
      await target?.close()
    })
    beforeEach(async () => {
      expect((await api.control.reset()).status).toBe(200)
    })

    describe('auth', () => {
      it('answers health without a token', async () => {
        const answer = await api.call('GET', '/api/v1/auth/health')
        expect(answer.status).toBe(200)
        expect(answer.body).toEqual({ status: 'healthy' })
      })

      it('signs in by email with a token response and the contract claims', async () => {
        const answer = await api.call('POST', '/api/v1/auth/login', {
          json: { email: 'admin@etl.local', password: 'admin123' },
        })
        expect(answer.status).toBe(200)
        expect(answer.body).toMatchObject({
          token_type: 'bearer',
          expires_in: 300,
          user: { email: 'admin@etl.local', role: 'admin' },
        })
        expect(typeof answer.body.refresh_token).toBe('string')
        expect(answer.body.refresh_token.split('.')).toHaveLength(1)
        const claims = api.claims(answer.body.access_token)
        expect(claims).toMatchObject({
          sub: 'usr_admin',
          user_id: 'usr_admin',
          username: 'admin',
          email: 'admin@etl.local',
          role: 'admin',
          permissions: [
            'jobs:read',
            'jobs:submit',
            'jobs:cancel',
            'dags:read',
            'dags:trigger',
            'admin',
          ],
        })
        expect(claims.exp! - claims.iat!).toBe(300)
        expect(typeof claims.jti).toBe('string')
        expect(JSON.stringify(answer.body.user)).not.toMatch(/hash|salt|password/)
      })

      it('signs in by username, and /me returns the user of the token', async () => {
        const viewer = await api.login('viewer', 'viewer123')
        expect(viewer.user.permissions).toEqual(['jobs:read', 'dags:read'])
        const me = await api.me(viewer.access)
        expect(me.status).toBe(200)
        expect(me.body).toMatchObject({ email: 'viewer@etl.local', role: 'viewer' })
      })

      it('refuses a wrong password or an unknown user with 401 Invalid credentials', async () => {
        for (const json of [
          { email: 'admin@etl.local', password: 'wrong-password' },
          { email: 'nobody@etl.local', password: 'admin123' },
          { username: 'admin', password: 'viewer123' },
        ]) {
          const answer = await api.call('POST', '/api/v1/auth/login', { json })
          expect(answer.status).toBe(401)
          expect(answer.body.detail).toBe('Invalid credentials')
        }
        expect((await api.control.state()).counters.logins).toBe(0)
      })

      it('answers 429 with Retry-After after 5 failed sign-ins, for that identity only', async () => {
        const attempt = (email: string, password: string) =>
          api.call('POST', '/api/v1/auth/login', { json: { email, password } })
        for (let i = 0; i < 5; i++) {
          expect((await attempt('admin@etl.local', `guess-${i}`)).status).toBe(401)
        }
        const limited = await attempt('admin@etl.local', 'admin123')
        expect(limited.status).toBe(429)
        const retryAfter = Number(limited.headers.get('retry-after'))
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(60)
        expect(limited.body.detail).toMatch(/Too many failed sign-ins/)
        expect((await attempt('viewer@etl.local', 'viewer123')).status).toBe(200)

        await api.control.scenario({ advance_clock_seconds: retryAfter + 1 })
        expect((await attempt('admin@etl.local', 'admin123')).status).toBe(200)
      })

      it('registers a user (201 token response) who can then sign in', async () => {
        const answer = await api.call('POST', '/api/v1/auth/register', {
          json: { email: 'Grace@Example.org', password: 'correct horse', name: 'Grace' },
        })
        expect(answer.status).toBe(201)
        expect(answer.body).toMatchObject({
          token_type: 'bearer',
          user: { email: 'grace@example.org', name: 'Grace', role: 'user', username: 'grace' },
        })
        expect(answer.body.user.permissions).not.toContain('admin')
        expect((await api.me(answer.body.access_token)).body.email).toBe('grace@example.org')
        const again = await api.login('grace@example.org', 'correct horse')
        expect(again.user.id).toBe(answer.body.user.id)
      })

      it('registers a viewer when asked, but never an admin', async () => {
        const viewer = await api.call('POST', '/api/v1/auth/register', {
          json: { email: 'v2@etl.local', password: 'password1', name: 'V', role: 'viewer' },
        })
        expect(viewer.status).toBe(201)
        expect(viewer.body.user.permissions).toEqual(['jobs:read', 'dags:read'])
        const admin = await api.call('POST', '/api/v1/auth/register', {
          json: { email: 'boss@etl.local', password: 'password1', name: 'B', role: 'admin' },
        })
        expect(admin.status).toBe(422)
        expect(admin.body.errors).toEqual([
          { field: 'role', message: 'must be one of user, viewer' },
        ])
      })

      it('answers 409 for an email already registered', async () => {
        const answer = await api.call('POST', '/api/v1/auth/register', {
          json: { email: 'ADMIN@etl.local', password: 'password1', name: 'Again' },
        })
        expect(answer.status).toBe(409)
        expect(answer.body.detail).toBe('Email already registered: admin@etl.local')
      })

      it('answers 422 naming each invalid registration field', async () => {
        const answer = await api.call('POST', '/api/v1/auth/register', {
          json: { email: 'not-an-email', password: 'short' },
        })
        expect(answer.status).toBe(422)
        expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([
          'email',
          'password',
          'name',
        ])
        expect(answer.body.detail).toMatch(/^Validation failed: email: must be a valid email/)
      })
    })

    describe('protected calls: 401 and 403', () => {
      async function expect401(token: string | undefined, detail: string) {
        const answer = await api.me(token)
        expect(answer.status).toBe(401)
        expect(answer.body.detail).toBe(detail)
        return answer
      }

      it('answers Not authenticated with WWW-Authenticate Bearer realm for no token', async () => {
        const answer = await expect401(undefined, 'Not authenticated')
        expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="api"')
        const basic = await api.call('GET', '/api/v1/auth/me', {
          headers: { Authorization: 'Basic YWRtaW46YWRtaW4xMjM=' },
        })
        expect(basic.body.detail).toBe('Not authenticated')
      })

      it('answers Invalid token: malformed for something that is not a JWT', async () => {
        for (const token of ['abc', 'a.b', 'not.a.jwt', '%%%.%%%.%%%']) {
          const answer = await expect401(token, 'Invalid token: malformed')
          expect(answer.headers.get('www-authenticate')).toBe(
            'Bearer error="invalid_token", error_description="Invalid token: malformed"',
          )
        }
      })

      it('answers signature verification failed for a tampered token or a foreign signature', async () => {
        const { access } = await api.viewer()
        const promoted = forgeToken(access, { claims: { role: 'admin', permissions: ['admin'] } })
        await expect401(promoted, 'Invalid token: signature verification failed')
        const resigned = forgeToken(access, { signature: 'A'.repeat(43) })
        const answer = await expect401(resigned, 'Invalid token: signature verification failed')
        expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"')
      })

      it('refuses alg none', async () => {
        const { access } = await api.admin()
        const unsigned = forgeToken(access, { header: { alg: 'none' }, signature: '' })
        await expect401(unsigned, 'Invalid token: unsupported algorithm none')
      })

      it('answers Token expired once the lifetime has passed on the server clock', async () => {
        const { access } = await api.admin()
        await api.control.scenario({ advance_clock_seconds: 299 })
        expect((await api.me(access)).status).toBe(200)
        await api.control.scenario({ advance_clock_seconds: 2 })
        const answer = await expect401(access, 'Token expired')
        expect(answer.headers.get('www-authenticate')).toBe(
          'Bearer error="invalid_token", error_description="Token expired"',
        )
      })

      it('expire_access_tokens expires every token issued so far, not the next ones', async () => {
        const admin = await api.admin()
        const viewer = await api.viewer()
        await api.control.scenario({ expire_access_tokens: true })
        await expect401(admin.access, 'Token expired')
        await expect401(viewer.access, 'Token expired')
        const refreshed = await api.refresh(admin.refresh)
        expect(refreshed.status).toBe(200)
        expect((await api.me(refreshed.body.access_token)).status).toBe(200)
      })

      it('answers Token revoked after logout and after revoke_sessions', async () => {
        const first = await api.admin()
        const second = await api.admin()
        expect(
          (await api.call('POST', '/api/v1/auth/logout', { token: first.access })).status,
        ).toBe(200)
        await expect401(first.access, 'Token revoked')
        expect((await api.me(second.access)).status).toBe(200)
        await api.control.scenario({ revoke_sessions: true })
        await expect401(second.access, 'Token revoked')
      })

      it('counts every 401 it sends', async () => {
        await api.me()
        await api.me('abc')
        await api.call('POST', '/api/v1/auth/login', {
          json: { email: 'admin@etl.local', password: 'nope' },
        })
        const { counters } = await api.control.state()
        expect(counters.unauthorized).toBe(3)
        expect(counters.requests).toBe(3)
      })

      it('answers 403 Missing permission for a viewer submitting a job or triggering a DAG', async () => {
        const { access } = await api.viewer()
        const job = await api.call('POST', '/api/v1/jobs', { token: access, body: jobForm() })
        expect(job.status).toBe(403)
        expect(job.body.detail).toBe('Missing permission: jobs:submit')
        const run = await api.call('POST', '/api/v2/dags/ftp_multi_station_download/dagRuns', {
          token: access,
          json: {},
        })
        expect(run.status).toBe(403)
        expect(run.body.detail).toBe('Missing permission: dags:trigger')
        expect((await api.control.state()).counters.unauthorized).toBe(0)
      })
    })

    describe('refresh', () => {
      it('rotates the refresh token on every use; the new access token works', async () => {
        const { refresh } = await api.admin()
        const first = await api.refresh(refresh)
        expect(first.status).toBe(200)
        expect(first.body.refresh_token).not.toBe(refresh)
        expect(first.body).toMatchObject({ token_type: 'bearer', expires_in: 300 })
        const second = await api.refresh(first.body.refresh_token)
        expect(second.status).toBe(200)
        expect(second.body.refresh_token).not.toBe(first.body.refresh_token)
        expect((await api.me(second.body.access_token)).status).toBe(200)
        const { counters } = await api.control.state()
        expect(counters).toMatchObject({ refreshes: 2, refreshes_rejected: 0, logins: 1 })
      })

      it('detects reuse of a rotated token and revokes the whole family', async () => {
        const session = await api.admin()
        const other = await api.admin()
        const rotated = await api.refresh(session.refresh)
        const reused = await api.refresh(session.refresh)
        expect(reused.status).toBe(401)
        expect(reused.body.detail).toBe('Refresh token reuse detected: session revoked')
        const successor = await api.refresh(rotated.body.refresh_token)
        expect(successor.status).toBe(401)
        expect(successor.body.detail).toBe('Refresh token revoked')
        expect((await api.me(rotated.body.access_token)).body.detail).toBe('Token revoked')
        expect((await api.me(session.access)).body.detail).toBe('Token revoked')
        expect((await api.refresh(other.refresh)).status).toBe(200)
        const { counters } = await api.control.state()
        expect(counters).toMatchObject({ reuse_detected: 1, refreshes: 4, refreshes_rejected: 2 })
      })

      it('hands the current token back within reuse_grace_seconds, and detects reuse after it', async () => {
        await api.control.config({ reuse_grace_seconds: 10 })
        const { refresh } = await api.admin()
        const rotated = await api.refresh(refresh)
        const raced = await api.refresh(refresh)
        expect(raced.status).toBe(200)
        expect(raced.body.refresh_token).toBe(rotated.body.refresh_token)
        await api.control.scenario({ advance_clock_seconds: 11 })
        const late = await api.refresh(refresh)
        expect(late.status).toBe(401)
        expect(late.body.detail).toBe('Refresh token reuse detected: session revoked')
        expect((await api.control.state()).counters.reuse_detected).toBe(1)
      })

      it('refuses an expired, unknown or missing refresh token', async () => {
        await api.control.config({ refresh_ttl_seconds: 60 })
        const { refresh } = await api.admin()
        await api.control.scenario({ advance_clock_seconds: 61 })
        expect((await api.refresh(refresh)).body.detail).toBe('Refresh token expired')
        const unknown = await api.refresh('not-a-token-we-issued')
        expect(unknown.status).toBe(401)
        expect(unknown.body.detail).toBe('Invalid refresh token')
        const missing = await api.call('POST', '/api/v1/auth/refresh', { json: {} })
        expect(missing.status).toBe(422)
        expect(missing.body.errors[0].field).toBe('refresh_token')
      })

      it('fail_next_refresh fails exactly count refreshes with 401, 500 or a network error', async () => {
        const { refresh } = await api.admin()
        await api.control.scenario({ fail_next_refresh: { count: 2, status: 500 } })
        expect((await api.refresh(refresh)).status).toBe(500)
        expect((await api.refresh(refresh)).status).toBe(500)
        const ok = await api.refresh(refresh)
        expect(ok.status).toBe(200)

        await api.control.scenario({ fail_next_refresh: { status: 401 } })
        const rejected = await api.refresh(ok.body.refresh_token)
        expect(rejected.status).toBe(401)
        expect(rejected.body.detail).toBe('Refresh token rejected (mock scenario)')

        await api.control.scenario({ fail_next_refresh: { status: 'network' } })
        await expect(api.refresh(ok.body.refresh_token)).rejects.toThrow()
        const after = await api.refresh(ok.body.refresh_token)
        expect(after.status).toBe(200)
        const state = await api.control.state()
        expect(state.fail_next_refresh).toBeNull()
        expect(state.counters).toMatchObject({
          refreshes: 6,
          refreshes_rejected: 1,
          refreshes_failed: 3,
        })
      })

      it('follows access_ttl_seconds from the config', async () => {
        await api.control.config({ access_ttl_seconds: 10 })
        const { access, refresh } = await api.admin()
        const claims = api.claims(access)
        expect(claims.exp! - claims.iat!).toBe(10)
        expect((await api.refresh(refresh)).body.expires_in).toBe(10)
      })
    })

    describe('logout', () => {
      it('revokes the access token and its refresh family', async () => {
        const session = await api.admin()
        const answer = await api.call('POST', '/api/v1/auth/logout', {
          token: session.access,
          json: { refresh_token: session.refresh },
        })
        expect(answer.status).toBe(200)
        expect((await api.me(session.access)).body.detail).toBe('Token revoked')
        expect((await api.refresh(session.refresh)).body.detail).toBe('Refresh token revoked')
      })

      it('still signs out with an expired access token', async () => {
        const session = await api.admin()
        await api.control.scenario({ advance_clock_seconds: 301 })
        const answer = await api.call('POST', '/api/v1/auth/logout', { token: session.access })
        expect(answer.status).toBe(200)
        expect((await api.refresh(session.refresh)).body.detail).toBe('Refresh token revoked')
      })

      it('answers 401 with neither a token nor a refresh token', async () => {
        const answer = await api.call('POST', '/api/v1/auth/logout')
        expect(answer.status).toBe(401)
        expect(answer.body.detail).toBe('Not authenticated')
      })
    })

    describe('jobs', () => {
      const submit = (token: string, form = jobForm()) =>
        api.call('POST', '/api/v1/jobs', { token, body: form })

      it('accepts a multipart job and moves it queued -> running -> completed over time', async () => {
        const { access } = await api.admin()
        const created = await submit(access)
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({
          name: 'Chromosome 20 imputation',
          input_format: 'vcf.gz',
          build: 'hg38',
          phasing: true,
          file_name: 'chr20.vcf.gz',
          status: 'queued',
          progress: 0,
          user_id: 'usr_admin',
        })
        const path = `/api/v1/jobs/${created.body.id}`
        await api.control.scenario({ advance_clock_seconds: 7 })
        const running = await api.call('GET', path, { token: access })
        expect(running.body.status).toBe('running')
        // Half the run by the moved clock, plus the real time the calls took: over HTTP the
        // server's clock runs on (a loaded machine showed 52), so exactly 50 cannot be promised.
        expect(running.body.progress).toBeGreaterThanOrEqual(50)
        expect(running.body.progress).toBeLessThan(100)
        await api.control.scenario({ advance_clock_seconds: 10 })
        const done = await api.call('GET', path, { token: access })
        expect(done.body).toMatchObject({ status: 'completed', progress: 100, error: null })
      })

      it('fails a job whose file name contains "fail"', async () => {
        const { access } = await api.admin()
        const created = await submit(access, jobForm({}, new File(['x'], 'will-fail.vcf')))
        await api.control.scenario({ advance_clock_seconds: 30 })
        const job = await api.call('GET', `/api/v1/jobs/${created.body.id}`, { token: access })
        expect(job.body.status).toBe('failed')
        expect(job.body.error).toMatch(/could not be parsed/)
      })

      it('lists only the caller’s jobs, newest first, and hides other users’ jobs', async () => {
        const admin = await api.admin()
        const grace = await api.call('POST', '/api/v1/auth/register', {
          json: { email: 'grace@etl.local', password: 'password1', name: 'Grace' },
        })
        const graceToken = grace.body.access_token
        const first = await submit(admin.access, jobForm({ name: 'first' }))
        await api.control.scenario({ advance_clock_seconds: 1 })
        const second = await submit(admin.access, jobForm({ name: 'second' }))
        const hers = await submit(graceToken, jobForm({ name: 'hers' }))

        const list = await api.call('GET', '/api/v1/jobs', { token: admin.access })
        expect(list.body.total).toBe(2)
        expect(list.body.items.map((j: { name: string }) => j.name)).toEqual(['second', 'first'])
        const theirs = await api.call('GET', '/api/v1/jobs', { token: graceToken })
        expect(theirs.body.items.map((j: { id: string }) => j.id)).toEqual([hers.body.id])
        const peek = await api.call('GET', `/api/v1/jobs/${first.body.id}`, { token: graceToken })
        expect(peek.status).toBe(404)
        expect(peek.body.detail).toBe(`Job not found: ${first.body.id}`)
        const cancel = await api.call('POST', `/api/v1/jobs/${second.body.id}/cancel`, {
          token: graceToken,
        })
        expect(cancel.status).toBe(404)
        const viewer = await api.viewer()
        expect((await api.call('GET', '/api/v1/jobs', { token: viewer.access })).body).toEqual({
          items: [],
          total: 0,
        })
      })

      it('cancels a running job, and answers 409 for a finished one', async () => {
        const { access } = await api.admin()
        const job = await submit(access)
        const cancelled = await api.call('POST', `/api/v1/jobs/${job.body.id}/cancel`, {
          token: access,
        })
        expect(cancelled.status).toBe(200)
        expect(cancelled.body.status).toBe('cancelled')
        await api.control.scenario({ advance_clock_seconds: 60 })
        const later = await api.call('GET', `/api/v1/jobs/${job.body.id}`, { token: access })
        expect(later.body.status).toBe('cancelled')
        const again = await api.call('POST', `/api/v1/jobs/${job.body.id}/cancel`, {
          token: access,
        })
        expect(again.status).toBe(409)
        expect(again.body.detail).toBe(`Job ${job.body.id} is already cancelled`)

        const finished = await submit(access)
        await api.control.scenario({ advance_clock_seconds: 60 })
        const late = await api.call('POST', `/api/v1/jobs/${finished.body.id}/cancel`, {
          token: access,
        })
        expect(late.status).toBe(409)
        expect(late.body.detail).toMatch(/already completed/)
      })

      it('answers 422 naming missing fields, bad formats and builds, and a missing file', async () => {
        const { access } = await api.admin()
        const answer = await submit(
          access,
          jobForm({ name: null, input_format: 'cram', build: 'hg18', phasing: 'maybe' }, null),
        )
        expect(answer.status).toBe(422)
        expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([
          'name',
          'input_format',
          'build',
          'phasing',
          'input_file',
        ])
        expect(answer.body.detail).toMatch(/input_format: must be one of vcf, vcf.gz, plink, bgen/)
      })

      it('answers 413 for a file over max_upload_bytes', async () => {
        await api.control.config({ max_upload_bytes: 1000 })
        const { access } = await api.admin()
        const big = await submit(access, jobForm({}, new File(['x'.repeat(1001)], 'big.vcf')))
        expect(big.status).toBe(413)
        expect(big.body.detail).toBe('Upload too large: 1001 bytes (limit 1000 bytes)')
        const fits = await submit(access, jobForm({}, new File(['x'.repeat(1000)], 'ok.vcf')))
        expect(fits.status).toBe(201)
      })

      it('answers 415 for a job sent as JSON', async () => {
        const { access } = await api.admin()
        const answer = await api.call('POST', '/api/v1/jobs', {
          token: access,
          json: { name: 'x' },
        })
        expect(answer.status).toBe(415)
        expect(answer.body.detail).toMatch(/multipart\/form-data/)
      })
    })

    describe('pipelines', () => {
      const runs = (token: string, dag: string, query = '') =>
        api.call('GET', `/api/v2/dags/${dag}/dagRuns${query}`, { token })
      const trigger = (token: string, dag: string, json: unknown = {}) =>
        api.call('POST', `/api/v2/dags/${dag}/dagRuns`, { token, json })

      it('lists the two DAGs for a viewer', async () => {
        const { access } = await api.viewer()
        const answer = await api.call('GET', '/api/v2/dags', { token: access })
        expect(answer.status).toBe(200)
        expect(answer.body.total_entries).toBe(2)
        expect(answer.body.dags.map((d: { dag_id: string }) => d.dag_id)).toEqual([
          'ftp_multi_station_download',
          'process_multistation_data',
        ])
        expect(answer.body.dags[0]).toMatchObject({ is_paused: false, is_active: true })
      })

      it('seeds finished history, newest first, with limit', async () => {
        const { access } = await api.viewer()
        const all = await runs(access, 'process_multistation_data')
        expect(all.body.total_entries).toBe(8)
        const dates = all.body.dag_runs.map((r: { logical_date: string }) => r.logical_date)
        expect([...dates].sort().reverse()).toEqual(dates)
        const states = all.body.dag_runs.map((r: { state: string }) => r.state)
        expect(states.filter((s: string) => s === 'failed')).toHaveLength(1)
        expect(states.filter((s: string) => s === 'success')).toHaveLength(7)
        const two = await runs(access, 'process_multistation_data', '?limit=2')
        expect(two.body.dag_runs).toEqual(all.body.dag_runs.slice(0, 2))
        expect(two.body.total_entries).toBe(8)
      })

      it('triggers a run that goes queued -> running -> success, listed first', async () => {
        const { access } = await api.admin()
        const created = await trigger(access, 'ftp_multi_station_download', {
          dag_run_id: 'refresh-1',
          conf: { stations: ['A', 'B'] },
        })
        expect(created.status).toBe(200)
        expect(created.body).toMatchObject({
          dag_run_id: 'refresh-1',
          dag_id: 'ftp_multi_station_download',
          state: 'queued',
          conf: { stations: ['A', 'B'] },
          start_date: null,
          end_date: null,
        })
        expect(created.body.execution_date).toBe(created.body.logical_date)
        const state = async () =>
          (await runs(access, 'ftp_multi_station_download', '?limit=1')).body.dag_runs[0]
        expect((await state()).dag_run_id).toBe('refresh-1')
        await api.control.scenario({ advance_clock_seconds: 3 })
        expect((await state()).state).toBe('running')
        await api.control.scenario({ advance_clock_seconds: 10 })
        const done = await state()
        expect(done.state).toBe('success')
        expect(done.end_date).not.toBeNull()
      })

      it('fails a run triggered with conf.fail, and every 7th run of a DAG', async () => {
        const { access } = await api.admin()
        const forced = await trigger(access, 'process_multistation_data', { conf: { fail: true } })
        const ids = [forced.body.dag_run_id]
        for (let i = 0; i < 5; i++) {
          const run = await trigger(access, 'process_multistation_data', {})
          ids.push(run.body.dag_run_id)
        }
        await api.control.scenario({ advance_clock_seconds: 30 })
        const list = await runs(access, 'process_multistation_data', '?limit=6')
        const byId = new Map(
          list.body.dag_runs.map((r: { dag_run_id: string; state: string }) => [
            r.dag_run_id,
            r.state,
          ]),
        )
        // Seeded runs are 1-8, so these are runs 9-14: the forced one and run 14 fail.
        expect(ids.map((id) => byId.get(id))).toEqual([
          'failed',
          'success',
          'success',
          'success',
          'success',
          'failed',
        ])
      })

      it('answers 409 for a duplicate dag_run_id, 404 for an unknown DAG, 422 for bad conf', async () => {
        const { access } = await api.admin()
        expect(
          (await trigger(access, 'ftp_multi_station_download', { dag_run_id: 'x' })).status,
        ).toBe(200)
        const duplicate = await trigger(access, 'ftp_multi_station_download', { dag_run_id: 'x' })
        expect(duplicate.status).toBe(409)
        expect(duplicate.body.detail).toMatch(/already exists/)
        const unknown = await runs(access, 'no_such_dag')
        expect(unknown.status).toBe(404)
        expect(unknown.body.detail).toBe("DAG with dag_id: 'no_such_dag' not found")
        const bad = await trigger(access, 'ftp_multi_station_download', {
          conf: [1],
          logical_date: 'yesterday',
        })
        expect(bad.status).toBe(422)
        expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
          'logical_date',
          'conf',
        ])
        const badLimit = await runs(access, 'ftp_multi_station_download', '?limit=-1')
        expect(badLimit.status).toBe(422)
      })
    })

    describe('bad input', () => {
      it('answers 400 for malformed JSON', async () => {
        const answer = await api.call('POST', '/api/v1/auth/login', {
          body: '{"email": "admin@etl.local", ',
          headers: { 'Content-Type': 'application/json' },
        })
        expect(answer.status).toBe(400)
        expect(answer.body).toEqual({ detail: 'Malformed JSON body' })
      })

      it('answers 415 for a body that is not JSON, 422 for JSON that is not an object', async () => {
        const form = await api.call('POST', '/api/v1/auth/login', {
          body: 'email=admin@etl.local&password=admin123',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        })
        expect(form.status).toBe(415)
        expect(form.body.detail).toMatch(/Content-Type: application\/json/)
        const array = await api.call('POST', '/api/v1/auth/login', { json: [1, 2] })
        expect(array.status).toBe(422)
        const wrongTypes = await api.call('POST', '/api/v1/auth/login', {
          json: { email: 42, password: null },
        })
        expect(wrongTypes.status).toBe(422)
      })

      it('answers 413 for a JSON body over 64 KB', async () => {
        const answer = await api.call('POST', '/api/v1/auth/login', {
          json: { email: 'admin@etl.local', password: 'x'.repeat(70_000) },
        })
        expect(answer.status).toBe(413)
        expect(answer.body.detail).toMatch(/Request body too large/)
      })

      it('answers 404 with a detail for unknown routes', async () => {
        for (const [method, path] of [
          ['GET', '/api/v1/nope'],
          ['DELETE', '/api/v1/jobs'],
          ['GET', '/api/v3/anything/else'],
          ['POST', '/__mock/teleport'],
        ] as const) {
          const answer = await api.call(method, path)
          expect(answer.status).toBe(404)
          expect(answer.body.detail).toBe(`Not found: ${method} ${path}`)
        }
      })
    })

    describe('control', () => {
      it('reports config and counters, and validates config and scenarios', async () => {
        const state = await api.control.state()
        expect(state.config).toMatchObject({
          access_ttl_seconds: 300,
          refresh_ttl_seconds: 86_400,
          latency_ms: 0,
          reuse_grace_seconds: 0,
        })
        expect(state.counters).toEqual({
          logins: 0,
          refreshes: 0,
          refreshes_rejected: 0,
          refreshes_failed: 0,
          reuse_detected: 0,
          unauthorized: 0,
          requests: 0,
        })
        const changed = await api.control.config({ latency_ms: 5, access_ttl_seconds: 30 })
        expect(changed.status).toBe(200)
        expect(changed.body.config).toMatchObject({ latency_ms: 5, access_ttl_seconds: 30 })

        const badConfig = await api.control.config({ access_ttl_seconds: 0, colour: 'blue' })
        expect(badConfig.status).toBe(422)
        expect(badConfig.body.errors.map((e: { field: string }) => e.field)).toEqual([
          'access_ttl_seconds',
          'colour',
        ])
        const badScenario = await api.control.scenario({
          fail_next_refresh: { status: 404 },
          explode: true,
        })
        expect(badScenario.status).toBe(422)
        expect((await api.control.state()).config.access_ttl_seconds).toBe(30)
      })

      it('reset restores the seed and invalidates tokens issued before it', async () => {
        const { access, refresh } = await api.admin()
        await api.control.config({ access_ttl_seconds: 10 })
        await api.control.reset()
        expect((await api.me(access)).body.detail).toBe(
          'Invalid token: signature verification failed',
        )
        expect((await api.refresh(refresh)).body.detail).toBe('Invalid refresh token')
        const state = await api.control.state()
        expect(state.config.access_ttl_seconds).toBe(300)
        expect(state.counters.logins).toBe(0)
      })
    })
  })
}
