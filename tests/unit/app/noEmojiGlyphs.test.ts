import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../../../', import.meta.url).pathname

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(tsx?|css|html|json)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length))
}

// A pictograph (🔒, ⚙, ✔...) or an emoji selector is drawn from an emoji font, which a
// machine may lack: the user then sees an empty box. The app and the popup use words and CSS.
const PICTOGRAPH = /[\p{Extended_Pictographic}\uFE0F]/gu

describe('what the app and the extension show', () => {
  it('holds no glyph that needs an emoji font', () => {
    const files = [...filesUnder('src/app'), ...filesUnder('src/extension'), 'index.html']
    expect(files.length).toBeGreaterThan(50)
    const found = files.flatMap((file) => {
      const glyphs = readFileSync(join(ROOT, file), 'utf8').match(PICTOGRAPH)
      return glyphs ? [`${file}: ${[...new Set(glyphs)].join(' ')}`] : []
    })
    expect(found).toEqual([])
  })
})
