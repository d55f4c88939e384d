import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { build as esbuild } from 'esbuild'
import { defineConfig, type Plugin } from 'vite'
import { sourceAliases } from './packageEntries.ts'
import { renderIcon } from './src/extension/build/renderIcon.js'

const source = resolve('src/extension')
const TARGET = 'chrome116'

// The content script must be one classic script (content scripts cannot be ES modules), so
// esbuild bundles it as an IIFE beside Vite's module build of the pages and the worker. The
// manifest and the icons are emitted with them.
function extensionFiles(): Plugin {
  return {
    name: 'token-refresh-kit-extension-files',
    async generateBundle() {
      const content = await esbuild({
        entryPoints: [resolve(source, 'content.ts')],
        bundle: true,
        format: 'iife',
        target: TARGET,
        minify: true,
        write: false,
        legalComments: 'none',
      })
      this.emitFile({ type: 'asset', fileName: 'content.js', source: content.outputFiles[0]!.text })
      const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
      const manifest = JSON.parse(readFileSync(resolve(source, 'manifest.json'), 'utf8'))
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.json',
        source: `${JSON.stringify({ ...manifest, version }, null, 2)}\n`,
      })
      for (const size of [16, 32, 48, 128]) {
        this.emitFile({ type: 'asset', fileName: `icons/${size}.png`, source: renderIcon(size) })
      }
    },
  }
}

/** `npm run build:extension`: the unpacked MV3 extension in dist-extension/. */
export default defineConfig({
  root: source,
  base: './',
  publicDir: false,
  plugins: [extensionFiles()],
  resolve: { alias: sourceAliases },
  build: {
    outDir: resolve('dist-extension'),
    emptyOutDir: true,
    target: TARGET,
    modulePreload: false,
    sourcemap: false,
    rollupOptions: {
      input: {
        popup: resolve(source, 'popup.html'),
        devtools: resolve(source, 'devtools.html'),
        background: resolve(source, 'background.ts'),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
})
