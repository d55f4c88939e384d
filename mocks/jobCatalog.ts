/**
 * The services and reference panels a job may name: the app's choices (src/app/api/jobOptions.ts,
 * kept equal by tests/unit/mocks/jobCatalog.test.ts), spelled here because mocks import nothing
 * from src.
 */
export const SERVICE_IDS: readonly string[] = ['imputation', 'qc-only', 'phasing-only']

export const REFERENCE_PANEL_IDS: readonly string[] = ['1000g-phase3', 'hrc-r1.1', 'topmed-r2']
