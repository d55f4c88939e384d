import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineContractSuite } from './support/contractSuite'
import { spawnMockServer, type SpawnedServer } from './support/spawnMockServer'

let spawned: SpawnedServer | undefined
let exitCode: number | null | undefined

async function start(): Promise<SpawnedServer> {
  spawned ??= await spawnMockServer()
  return spawned
}

defineContractSuite('HTTP, npm run mock:server', async () => {
  const { url } = await start()
  return { baseUrl: url, close: async () => {} }
})

describe('the HTTP server (npm run mock:server)', () => {
  let url: string
  beforeAll(async () => {
    url = (await start()).url
  }, 30_000)
  afterAll(async () => {
    exitCode = await spawned?.stop()
    expect(exitCode).toBe(0)
  })

  const preflight = (origin: string) =>
    fetch(`${url}/api/v1/auth/login`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    })

  it('answers CORS preflights from local and extension origins', async () => {
    for (const origin of [
      'http://localhost:5173',
      'http://127.0.0.1:4173',
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    ]) {
      const answer = await preflight(origin)
      expect(answer.status).toBe(204)
      expect(answer.headers.get('access-control-allow-origin')).toBe(origin)
      expect(answer.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
      expect(answer.headers.get('access-control-allow-headers')).toMatch(/Content-Type/)
      expect(answer.headers.get('access-control-allow-methods')).toMatch(/POST/)
    }
  })

  it('refuses preflights from other origins', async () => {
    const answer = await preflight('https://evil.example')
    expect(answer.status).toBe(403)
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect((await answer.json()).detail).toMatch(/origin https:\/\/evil.example is not allowed/)
  })

  it('lets a local origin read errors and their WWW-Authenticate header', async () => {
    const answer = await fetch(`${url}/api/v1/auth/me`, {
      headers: { Origin: 'http://localhost:5173' },
    })
    expect(answer.status).toBe(401)
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/)
  })

  it('answers 413 for a body over the server limit without reading it all', async () => {
    const answer = await fetch(`${url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array(13 * 1024 * 1024),
    })
    expect(answer.status).toBe(413)
    expect((await answer.json()).detail).toMatch(/Request body too large/)
  })

  it('answers 404 with a detail outside /api and /__mock', async () => {
    const answer = await fetch(`${url}/favicon.ico`)
    expect(answer.status).toBe(404)
    expect(await answer.json()).toEqual({ detail: 'Not found: GET /favicon.ico' })
  })
})
