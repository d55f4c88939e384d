const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i

/** `url` under `baseURL` as axios joins them: an absolute or protocol-relative `url` stands alone. */
export function joinURL(baseURL: string | undefined, url: string): string {
  if (!baseURL || ABSOLUTE.test(url)) return url
  return url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL
}
