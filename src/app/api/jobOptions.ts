/** The choices the jobs API accepts, with labels for people. */
export const jobOptions = {
  services: [
    { value: 'imputation', label: 'Genotype imputation' },
    { value: 'qc-only', label: 'Quality control only' },
    { value: 'phasing-only', label: 'Phasing only' },
  ],
  referencePanels: [
    { value: '1000g-phase3', label: '1000 Genomes Phase 3' },
    { value: 'hrc-r1.1', label: 'HRC r1.1' },
    { value: 'topmed-r2', label: 'TOPMed r2' },
  ],
  inputFormats: [
    { value: 'vcf', label: 'VCF', accept: '.vcf' },
    { value: 'vcf.gz', label: 'VCF (bgzip)', accept: '.vcf.gz,.gz' },
    { value: 'plink', label: 'PLINK', accept: '.bed,.bim,.fam,.ped,.map,.zip' },
    { value: 'bgen', label: 'BGEN', accept: '.bgen' },
  ],
  builds: [
    { value: 'hg19', label: 'hg19' },
    { value: 'hg38', label: 'hg38' },
  ],
  phasing: [
    { value: 'true', label: 'Eagle' },
    { value: 'false', label: 'None (phased)' },
  ],
  /** The server answers 413 above this. */
  maxUploadBytes: 10 * 1024 * 1024,
}
