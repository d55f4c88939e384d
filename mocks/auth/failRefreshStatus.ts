/**
 * How the mocks can make the next refresh fail: a 401 (the session ends), a 500, or a dropped
 * connection (both transient). The devtools bridge carries the same values, so it takes this type.
 */
export type FailRefreshStatus = 401 | 500 | 'network'
