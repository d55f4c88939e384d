import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const coreDir = fileURLToPath(new URL('../src/core/', import.meta.url))

/**
 * Bundles `contents` (imports from src/core, as an app's entry would) for the browser, minified,
 * with its dependencies inside unless named in `external`: what an app ships.
 */
export async function bundleCore(contents: string, external: string[] = []) {
  const result = await build({
    stdin: { contents, resolveDir: coreDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
  })
  const code = result.outputFiles[0]!.contents
  const inputs = Object.keys(result.metafile.inputs)
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    /** The packages whose files are in the bundle, by name. */
    packages: [
      ...new Set(
        inputs.flatMap((path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? []),
      ),
    ].sort(),
  }
}
