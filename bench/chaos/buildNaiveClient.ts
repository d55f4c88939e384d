import { build } from 'esbuild'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Bundles the seed-003 baseline page into `dir`, calling the API at `apiURL`. */
export async function buildNaiveClient(dir: string, apiURL: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./naiveClient.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outfile: join(dir, 'naive.js'),
    logLevel: 'error',
  })
  await writeFile(
    join(dir, 'index.html'),
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="api-url" content="${apiURL}" />
    <title>Naive client (seed 003)</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/naive.js"></script>
  </body>
</html>
`,
  )
}
