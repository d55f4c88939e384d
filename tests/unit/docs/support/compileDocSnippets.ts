import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { PACKAGE_ENTRIES, PACKAGE_NAME } from '../../../../packageEntries'

const ROOT = resolve(import.meta.dirname, '../../../..')

/** Each package entry resolved to its source, as a developer's import names it. */
const entryPaths = Object.fromEntries(
  Object.entries(PACKAGE_ENTRIES).map(([entry, file]) => [
    entry === 'index' ? PACKAGE_NAME : `${PACKAGE_NAME}/${entry}`,
    [join(ROOT, file)],
  ]),
)

/**
 * Type-checks the `ts` blocks of a page (the code a developer copies) as a developer's strict
 * app would (`strict`, `exactOptionalPropertyTypes`), importing the kit by its package names.
 * Returns how many blocks there were and each error as `blockN.ts:line: message`.
 */
export async function compileDocSnippets(
  page: string,
): Promise<{ blocks: number; errors: string[] }> {
  const text = await readFile(join(ROOT, page), 'utf8')
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)
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
      paths: { ...entryPaths, axios: [join(ROOT, 'node_modules/axios/index.d.ts')] },
    })
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.includes(resolve(d.file.fileName)))
      .map((d) => {
        const where = d.file!.getLineAndCharacterOfPosition(d.start ?? 0)
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
        return `${d.file!.fileName.split('/').pop()}:${where.line + 1}: ${message}`
      })
    return { blocks: blocks.length, errors }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A full type-check of the kit: about 2 s on an idle core, over 5 s on two cores at load 7. */
export const COMPILE_TIMEOUT_MS = 30_000
