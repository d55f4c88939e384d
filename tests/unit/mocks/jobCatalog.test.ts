import { describe, expect, it } from 'vitest'
import { REFERENCE_PANEL_IDS, SERVICE_IDS } from '../../../mocks/jobCatalog'
import { jobOptions } from '../../../src/app/api/jobOptions'

describe('the job ids the mocks accept', () => {
  it('are exactly the services and reference panels the app offers', () => {
    expect(SERVICE_IDS).toEqual(jobOptions.services.map((option) => option.value))
    expect(REFERENCE_PANEL_IDS).toEqual(jobOptions.referencePanels.map((option) => option.value))
  })
})
