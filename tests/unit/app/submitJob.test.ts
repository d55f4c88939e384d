import axios, { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startMockServer, type RunningMockServer } from '../../../mocks/server'
import { submitJob, type Job, type JobInput } from '../../../src/app/api/jobs'
import { UploadStalledError } from '../../../src/app/api/UploadStalledError'
import { createMockControls } from '../../../src/app/mockControls'
import { uploadProgress, type UploadProgress } from '../../../src/app/api/uploadProgress'
import { createAuthSession, createMemoryStorage, createRefreshAdapter } from '../../../src/core'
import { attachAuthInterceptor } from '../../../src/axios'

const MB = 1024 * 1024

function input(bytes = 1024): JobInput {
  return {
    name: 'Cohort A chr20',
    service_id: 'imputation',
    reference_panel_id: 'hrc-r1.1',
    input_format: 'vcf',
    build: 'hg38',
    phasing: 'true',
    input_file: new File([new Uint8Array(bytes).fill(65)], 'cohort-a.vcf', { type: 'text/plain' }),
  }
}

describe('uploadProgress', () => {
  it('reads bytes sent as a fraction, all of them as processing, and none as no number at all', () => {
    expect(uploadProgress(0, 8 * MB)).toEqual({ phase: 'sending', fraction: null })
    expect(uploadProgress(2 * MB, 8 * MB)).toEqual({ phase: 'sending', fraction: 0.25 })
    expect(uploadProgress(8 * MB, 8 * MB)).toEqual({ phase: 'processing' })
    // A length the browser cannot tell gives no percent rather than a made-up one.
    expect(uploadProgress(3 * MB, undefined)).toEqual({ phase: 'sending', fraction: null })
  })
})

describe('submitJob, on a fake wire', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  // An adapter that reports `steps` of upload progress `every` ms apart, then answers.
  const slowWire =
    (steps: number, every: number, answer: 'answer' | 'hang' = 'answer') =>
    async (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, every))
        config.onUploadProgress?.({
          loaded: step * MB,
          total: steps * MB,
          bytes: MB,
          lengthComputable: true,
        })
      }
      if (answer === 'hang') {
        await new Promise((_, reject) =>
          config.signal?.addEventListener?.('abort', () => reject(new axios.CanceledError())),
        )
      }
      return { data: { id: 'job_1' }, status: 201, statusText: '', headers: {}, config }
    }

  it('lets an upload that keeps sending run past 30 s, reporting its progress', async () => {
    vi.useFakeTimers()
    // 8 MB at 128 KB/s: 64 s, twice the instance's 30 s timeout.
    const api = axios.create({ timeout: 30_000, adapter: slowWire(8, 8_000) })
    const seen: UploadProgress[] = []
    const job = submitJob(api, input(), { onProgress: (p) => seen.push(p) })
    await vi.advanceTimersByTimeAsync(64_000)
    await expect(job).resolves.toEqual({ id: 'job_1' })
    expect(seen.map((p) => (p.phase === 'sending' ? p.fraction : p.phase))).toEqual([
      0.125,
      0.25,
      0.375,
      0.5,
      0.625,
      0.75,
      0.875,
      'processing',
    ])
  })

  it('stops an upload after 30 s without a byte sent or an answer, and says so', async () => {
    vi.useFakeTimers()
    const api = axios.create({ adapter: slowWire(2, 1_000, 'hang') })
    const job = submitJob(api, input())
    const outcome = job.then(
      () => null,
      (error: unknown) => error,
    )
    await vi.advanceTimersByTimeAsync(2_000 + 29_999)
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending')
    await vi.advanceTimersByTimeAsync(1)
    const error = await outcome
    expect(error).toBeInstanceOf(UploadStalledError)
    expect((error as Error).message).toBe(
      'nothing was sent or received for 30 s, so the upload was stopped. Check your connection and submit the job again.',
    )
  })
})

describe('submitJob over HTTP, with the auth interceptor', () => {
  let mock: RunningMockServer

  beforeAll(async () => {
    mock = await startMockServer({ port: 0 })
  })
  afterAll(async () => {
    await mock.close()
  })

  it('sends the whole multipart body again after a 401, once, after one refresh', async () => {
    const controls = createMockControls(mock.url)
    await controls.reset()
    const login = await fetch(`${mock.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@etl.local', password: 'admin123' }),
    })
    const tokens = (await login.json()) as { access_token: string; refresh_token: string }
    const session = createAuthSession({
      baseURL: mock.url,
      refresh: createRefreshAdapter({ baseURL: mock.url }),
      storage: createMemoryStorage(),
      channel: null,
    })
    session.setTokens({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token })
    const api = axios.create({ baseURL: mock.url })
    const eject = attachAuthInterceptor(api, session)
    // The server stops accepting the token the client still believes valid: the upload meets a 401.
    await controls.expireAccessTokens()
    const before = await controls.getState()
    const phases: string[] = []
    try {
      const job: Job = await submitJob(api, input(8 * MB), {
        onProgress: (p) => phases.push(p.phase),
      })
      expect(job.file_name).toBe('cohort-a.vcf')
      expect(job.file_size).toBe(8 * MB)
    } finally {
      eject()
      session.stop()
    }
    const after = await controls.getState()
    expect(after.counters.unauthorized - before.counters.unauthorized).toBe(1)
    expect(after.counters.refreshes - before.counters.refreshes).toBe(1)
    const list = await fetch(`${mock.url}/api/v1/jobs`, {
      headers: { authorization: `Bearer ${session.getState().accessToken}` },
    })
    const { items } = (await list.json()) as { items: Job[] }
    expect(items.map((j) => [j.name, j.file_size])).toEqual([['Cohort A chr20', 8 * MB]])
    // Both sends went out whole: processing, then sending again from the start, then processing.
    expect(phases.join(' ').replace(/(\w+)( \1)+/g, '$1')).toBe(
      'sending processing sending processing',
    )
  })
})
