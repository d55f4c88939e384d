import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

/** An entry's source: its own folder once the package layout has it, src/core until then. */
const entry = (folder: string) =>
  existsSync(join(ROOT, folder, 'index.ts'))
    ? join(ROOT, folder, 'index.ts')
    : join(ROOT, 'src/core/index.ts')

describe("README.md's 30-second integration", () => {
  it('compiles, strictly, against the package entries it imports', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8')
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)
    expect(blocks.length).toBeGreaterThanOrEqual(1)
    const dir = await mkdtemp(join(tmpdir(), 'trk-readme-'))
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
        paths: {
          'token-refresh-kit': [join(ROOT, 'src/core/index.ts')],
          'token-refresh-kit/axios': [entry('src/axios')],
          axios: [join(ROOT, 'node_modules/axios/index.d.ts')],
        },
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
    // A full type-check of the kit (see backendsSnippets.test.ts): CPU work, not a wait.
  }, 30_000)
})
