/** The suites of `npm run bench`, in the order it runs them: `bench/<name>.ts`, each exporting `run()`. */
export const BENCH_SUITES = [
  'core',
  'mockServer',
  'loginTiming',
  'bundle',
  'bundleCore',
  'tabs',
  'chaos',
] as const
