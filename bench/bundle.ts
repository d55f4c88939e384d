import react from '@vitejs/plugin-react'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

interface OutputFile {
  type: 'chunk' | 'asset'
  fileName: string
  code?: string
  source?: string | Uint8Array
  isEntry?: boolean
  isDynamicEntry?: boolean
  facadeModuleId?: string | null
}

interface Row {
  file: string
  kind: string
  'raw KB': number
  'gzip KB': number
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 100) / 100

function kindOf(file: OutputFile): string {
  const id = file.facadeModuleId ?? ''
  if (file.type === 'asset') return file.fileName.endsWith('.css') ? 'styles (initial)' : 'asset'
  if (file.isEntry) return 'entry (initial)'
  if (id.includes('/mocks/')) return 'mocks (lazy, mock mode only)'
  if (id.includes('/devtools/')) return 'devtools bridge (lazy, dev/mock only)'
  return file.isDynamicEntry ? 'lazy chunk' : 'shared chunk (initial)'
}

async function buildFiles(options: Parameters<typeof build>[0]): Promise<OutputFile[]> {
  const result = await build({
    logLevel: 'silent',
    ...options,
    build: { ...options?.build, write: false, sourcemap: false },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Array<{ output: OutputFile[] }>
  return outputs.flatMap((o) => o.output)
}

function measure(files: OutputFile[]): Row[] {
  return files
    .filter((f) => f.fileName.endsWith('.js') || f.fileName.endsWith('.css'))
    .map((f) => {
      const body = f.type === 'chunk' ? (f.code ?? '') : (f.source ?? '')
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body)
      return {
        file: f.fileName.replace(/^assets\//, ''),
        kind: kindOf(f),
        'raw KB': kb(bytes.length),
        'gzip KB': kb(gzipSync(bytes, { level: 9 }).length),
      }
    })
    .sort((a, b) => a.kind.localeCompare(b.kind))
}

const initial = (rows: Row[]) =>
  rows.filter((r) => r.kind.includes('(initial)')).reduce((sum, r) => sum + r['gzip KB'], 0)

/** The app's production bundle, gzip per chunk, against React and ReactDOM alone built the same way. */
export async function run(): Promise<void> {
  const app = measure(
    await buildFiles({ configFile: resolve('vite.config.ts'), mode: 'production' }),
  )

  // The same app built for a real backend: the mocks must be absent, not merely unused.
  process.env.VITE_API_URL = 'http://127.0.0.1:8787'
  const real = measure(
    await buildFiles({ configFile: resolve('vite.config.ts'), mode: 'production' }),
  )
  delete process.env.VITE_API_URL

  // The baseline: an entry that only renders with react-dom, built by the same Vite and plugin.
  const dir = resolve('node_modules/.cache/trk-bundle-baseline')
  await mkdir(dir, { recursive: true })
  await writeFile(
    resolve(dir, 'index.html'),
    '<!doctype html><div id="root"></div><script type="module" src="./main.jsx"></script>',
  )
  await writeFile(
    resolve(dir, 'main.jsx'),
    "import { createRoot } from 'react-dom/client'\ncreateRoot(document.getElementById('root')).render(<p>hello</p>)\n",
  )
  const baseline = measure(
    await buildFiles({ root: dir, configFile: false, plugins: [react()], mode: 'production' }),
  )
  await rm(dir, { recursive: true, force: true })

  console.log('\nApp bundle (vite build, production; gzip -9 per file)')
  console.table(app)
  const appInitial = initial(app)
  const reactOnly = initial(baseline)
  const mocks = app.filter((r) => r.kind.startsWith('mocks')).reduce((s, r) => s + r['gzip KB'], 0)
  console.table([
    { what: 'react + react-dom alone (baseline)', 'gzip KB': reactOnly, ratio: 1 },
    {
      what: 'app, loaded before first render (JS + CSS)',
      'gzip KB': Math.round(appInitial * 100) / 100,
      ratio: Math.round((appInitial / reactOnly) * 100) / 100,
    },
    {
      what: 'app on top of react + react-dom',
      'gzip KB': Math.round((appInitial - reactOnly) * 100) / 100,
      ratio: Math.round(((appInitial - reactOnly) / reactOnly) * 100) / 100,
    },
    {
      what: 'mocks chunk (lazy, mock mode only)',
      'gzip KB': Math.round(mocks * 100) / 100,
      ratio: Math.round((mocks / reactOnly) * 100) / 100,
    },
    {
      what: `build with VITE_API_URL: initial JS + CSS (${real.some((r) => r.kind.startsWith('mocks')) ? 'WITH' : 'no'} mocks chunk)`,
      'gzip KB': Math.round(initial(real) * 100) / 100,
      ratio: Math.round((initial(real) / reactOnly) * 100) / 100,
    },
  ])
}
