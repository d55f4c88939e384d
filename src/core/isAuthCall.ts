const AUTH_CALLS = /\/auth\/(login|register|refresh|token)\/?(?:[?#]|$)/

/** Whether `url` is a login, register or refresh call, which never carries a token or triggers a refresh. */
export function isAuthCall(url: string): boolean {
  return AUTH_CALLS.test(url)
}
