import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../../..')

/** The version of `name` this repository has installed: npm's cache already holds it. */
export function installedVersion(name: string): string {
  const file = join(ROOT, 'node_modules', name, 'package.json')
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

const pin = (names: string[]) =>
  Object.fromEntries(names.map((name) => [name, installedVersion(name)]))

// What `npm create vite -- --template react-ts` writes, cut to what the check needs: an app
// compiled strictly, with exactOptionalPropertyTypes, that uses every entry.
const MAIN = `import axios from 'axios'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import {
  createAuthFetch,
  createAuthSession,
  createMemoryStorage,
  isAuthKitError,
  type TokenPair,
} from 'token-refresh-kit'
import { attachAuthInterceptor } from 'token-refresh-kit/axios'
import { installDevtoolsBridge } from 'token-refresh-kit/devtools'
import { AuthProvider, RequireAuth, SessionCountdown, useAuth } from 'token-refresh-kit/react'

const session = createAuthSession({ storage: createMemoryStorage(), refreshMarginSeconds: 30 })
const api = axios.create({ baseURL: '/api' })
const eject: () => void = attachAuthInterceptor(api, session, { holdTimeoutMs: 10_000 })
const authFetch = createAuthFetch(session)
if (import.meta.env.DEV) installDevtoolsBridge(session)

/** A developer's own tests load the mocks: resolved and bundled, never run here. */
export const loadMocks = () => import('token-refresh-kit/msw')

async function login(credentials: { email: string; password: string }): Promise<TokenPair> {
  const response = await authFetch('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify(credentials),
  })
  const body = (await response.json()) as { access_token: string; refresh_token: string }
  return { accessToken: body.access_token, refreshToken: body.refresh_token }
}

function Home() {
  const { status, user, logout } = useAuth()
  return (
    <main>
      <p>{status} {String(user?.sub ?? '')}</p>
      <SessionCountdown />
      <button onClick={() => void logout().catch((e: unknown) => isAuthKitError(e) && eject())}>
        Sign out
      </button>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider session={session} login={login}>
      <RequireAuth fallback={<p>Sign in</p>}>
        <Home />
      </RequireAuth>
    </AuthProvider>
  </StrictMode>,
)
`

/** Writes a fresh Vite React TS app in `dir` that depends on the tarball at `tarball`. */
export async function writeScratchApp(dir: string, tarball: string): Promise<void> {
  await mkdir(join(dir, 'src'), { recursive: true })
  const pkg = {
    name: 'scratch-app',
    private: true,
    type: 'module',
    dependencies: {
      'token-refresh-kit': `file:${tarball}`,
      ...pin(['axios', 'jose', 'msw', 'react', 'react-dom']),
    },
    devDependencies: pin([
      '@types/react',
      '@types/react-dom',
      '@vitejs/plugin-react',
      'typescript',
      'vite',
    ]),
  }
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      module: 'ESNext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['vite/client'],
    },
    include: ['src'],
  }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)
  await writeFile(
    join(dir, 'vite.config.ts'),
    "import react from '@vitejs/plugin-react'\nimport { defineConfig } from 'vite'\n\nexport default defineConfig({ plugins: [react()] })\n",
  )
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html>\n<div id="root"></div>\n<script type="module" src="/src/main.tsx"></script>\n',
  )
  await writeFile(join(dir, 'src', 'main.tsx'), MAIN)
}
