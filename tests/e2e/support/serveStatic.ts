import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
}

export interface StaticServer {
  url: string
  close: () => Promise<void>
}

/**
 * Serves a built single-page app (default `dist/`) on 127.0.0.1 at a free port, with the
 * index as the fallback for client-side routes. Closes itself when the test process exits.
 */
export async function serveStatic(dir = 'dist', port = 0): Promise<StaticServer> {
  const root = resolve(dir)
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file = normalize(join(root, path))
    if (!file.startsWith(root)) {
      res.writeHead(403).end()
      return
    }
    const info = await stat(file).catch(() => null)
    if (!info || info.isDirectory()) file = join(root, 'index.html')
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready))
  server.unref()
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise((done) => server.close(() => done())),
  }
}
