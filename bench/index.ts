export {}

// `npm run bench`: every benchmark of the project, each printing its own table.
// Each module measures its baseline in the same run, so ratios hold on any machine.
// The chaos suite reads CHAOS_SECONDS (default 300) and CHAOS_SEED (default: a new one, printed).
const suites = [
  './core.ts',
  './mockServer.ts',
  './loginTiming.ts',
  './bundle.ts',
  './bundleCore.ts',
  './tabs.ts',
  './chaos.ts',
]

for (const suite of suites) {
  const { run } = (await import(suite)) as { run: () => Promise<void> }
  await run()
}
