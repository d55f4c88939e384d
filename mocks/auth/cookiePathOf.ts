import type { AuthPaths } from './authOptions'

/** The directory holding the routes that read the refresh cookie, which scopes that cookie. */
export function cookiePathOf(baseUrl: string, paths: AuthPaths): string {
  let prefix = baseUrl.startsWith('/') ? baseUrl : ''
  try {
    prefix = new URL(baseUrl).pathname
  } catch {
    // A path (`/api`), `*` or another pattern: no origin to read a path from.
  }
  prefix = prefix.replace(/\/+$/, '')
  const dirs = [paths.refresh, paths.logout]
    .filter((path): path is string => path !== null)
    .map((path) => path.split('/').slice(1, -1))
  let common = dirs[0] ?? []
  for (const dir of dirs.slice(1)) {
    const differs = common.findIndex((segment, i) => dir[i] !== segment)
    if (differs !== -1) common = common.slice(0, differs)
  }
  return `${prefix}/${common.join('/')}`.replace(/(.)\/+$/, '$1')
}
