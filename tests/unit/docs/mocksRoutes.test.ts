import { readFileSync } from 'node:fs'
import type { HttpHandler } from 'msw'
import { describe, expect, it } from 'vitest'
import { handlers } from '../../../mocks/handlers'
import { jobOptions } from '../../../src/app/api/jobOptions'

const page = readFileSync(new URL('../../../docs/mocks.md', import.meta.url), 'utf8')

/** `METHOD /path` of every route the mocks serve, the catch-all apart. */
const served = (handlers as HttpHandler[])
  .map(({ info }) => `${String(info.method)} ${String(info.path).replace(/^\*/, '')}`)
  .filter((route) => !route.endsWith(' '))
  .filter((route) => !route.startsWith('all '))

/** `METHOD /path` of every row of the route table ("Every route, with what it needs"). */
function documented(): string[] {
  const table = page.slice(page.indexOf('Every route, with what it needs'))
  const rows = table.slice(0, table.indexOf('\n\n', table.indexOf('| ---'))).split('\n')
  return rows.flatMap((row) => {
    const cell = row.split('|')[1] ?? ''
    // `GET /__mock/state`, `POST /__mock/config`, `/__mock/scenario`, `/__mock/reset`
    let method = ''
    return [...cell.matchAll(/`(?:(GET|POST) )?(\/[^`]*)`/g)].map(([, verb, path]) => {
      method = verb ?? method
      return `${method} ${path}`
    })
  })
}

describe("docs/mocks.md's route table", () => {
  it('lists every route the mocks serve, and no other', () => {
    expect(served.length).toBeGreaterThan(15)
    expect(documented().sort()).toEqual([...served].sort())
  })

  it('names the service, panel, format and build ids the app offers', () => {
    const { services, referencePanels, inputFormats, builds } = jobOptions
    for (const { value } of [...services, ...referencePanels, ...inputFormats, ...builds])
      expect(page, `docs/mocks.md names ${value}`).toContain(`\`${value}\``)
  })
})
