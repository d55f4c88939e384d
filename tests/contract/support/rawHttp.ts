import { request } from 'node:http'
import { connect } from 'node:net'

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

export interface RawRequest {
  method?: string
  path: string
  /** Sent as given, `Host` included (fetch would not let a test set it). */
  headers?: Record<string, string>
  body?: string
}

/** One request over node:http, with full control of the headers. */
export function send(baseUrl: string, options: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((done, fail) => {
    const outgoing = request(
      {
        hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        setHost: !options.headers || !Object.keys(options.headers).some((h) => /^host$/i.test(h)),
      },
      (incoming) => {
        let text = ''
        incoming.setEncoding('utf8')
        incoming.on('data', (chunk: string) => (text += chunk))
        incoming.on('end', () => {
          let body: unknown = text
          try {
            body = text ? JSON.parse(text) : null
          } catch {
            // not JSON: keep the text
          }
          done({ status: incoming.statusCode ?? 0, headers: incoming.headers, body })
        })
        incoming.on('error', fail)
      },
    )
    outgoing.on('error', fail)
    outgoing.end(options.body)
  })
}

/** Writes `text` as is on a new connection and resolves with everything the server answers. */
export function sendRaw(port: number, text: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('end', () => done(answer))
    socket.on('error', fail)
  })
}
