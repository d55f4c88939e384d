import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

/** The `ts` blocks of a doc page: the code a developer copies. */
async function snippets(page: string): Promise<string[]> {
  const text = await readFile(join(ROOT, page), 'utf8')
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)
}

describe('docs/backends.md', () => {
  it('has code that compiles, strictly, against the kit as a developer imports it', async () => {
    const blocks = await snippets('docs/backends.md')
    expect(blocks.length).toBeGreaterThanOrEqual(4)
    const dir = await mkdtemp(join(tmpdir(), 'trk-docs-'))
    try {
      const files = await Promise.all(
        blocks.map(async (code, i) => {
          const file = join(dir, `block${i + 1}.ts`)
          await writeFile(file, code)
          return file
        }),
      )
      const program = ts.createProgram(files, {
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: [],
        paths: { 'token-refresh-kit': [join(ROOT, 'src/core/index.ts')] },
      })
      const errors = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file && files.includes(resolve(d.file.fileName)))
        .map((d) => {
          const where = d.file!.getLineAndCharacterOfPosition(d.start ?? 0)
          const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
          return `${d.file!.fileName.split('/').pop()}:${where.line + 1}: ${text}`
        })
      expect(errors).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    // A full type-check of the kit: about 2 s on an idle core, over Vitest's default 5 s on two
    // cores at load 7. CPU work, not a wait that could hide a race.
  }, 30_000)
})
