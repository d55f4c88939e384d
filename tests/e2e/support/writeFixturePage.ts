import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

/**
 * Bundles `tests/e2e/fixtures/<fixture>/main.ts` into `dir` as `<name>.js`, with a page
 * `<name>.html` that loads it, for a static server to serve.
 */
export async function writeFixturePage(
  dir: string,
  {
    fixture,
    name,
    title,
    heading,
  }: { fixture: string; name: string; title: string; heading: string },
): Promise<void> {
  await build({
    entryPoints: [resolve(`tests/e2e/fixtures/${fixture}/main.ts`)],
    bundle: true,
    format: 'esm',
    outfile: join(dir, `${name}.js`),
    logLevel: 'silent',
  })
  await writeFile(
    join(dir, `${name}.html`),
    `<!doctype html><title>${title}</title><h1>${heading}</h1><script type="module" src="/${name}.js"></script>`,
  )
}
