import { http, HttpResponse } from 'msw'
import { apiRoute, param } from '../apiRoute'
import { db } from '../db'
import { HttpError, validationError, type FieldError } from '../httpErrors'
import { REFERENCE_PANEL_IDS, SERVICE_IDS } from '../jobCatalog'
import { jobAt } from '../jobStatus'
import type { GenomeBuild, InputFormat, JobRecord } from '../model'
import { withAuth } from '../withAuth'

const INPUT_FORMATS: InputFormat[] = ['vcf', 'vcf.gz', 'plink', 'bgen']
const BUILDS: GenomeBuild[] = ['hg19', 'hg38']
const TRUE = ['true', '1', 'yes', 'on']
const FALSE = ['false', '0', 'no', 'off', '']
/** Room for the multipart envelope and the text fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024

function text(form: FormData, field: string, errors: FieldError[], max = 200): string {
  const value = form.get(field)
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field, message: 'is required' })
    return ''
  }
  if (value.length > max) errors.push({ field, message: `must be at most ${max} characters` })
  return value.trim()
}

/** A required id that must be one of `allowed`; answers with the list when it is not. */
function knownId(
  form: FormData,
  field: string,
  allowed: readonly string[],
  errors: FieldError[],
): string {
  const value = form.get(field)
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field, message: `is required (one of ${allowed.join(', ')})` })
    return ''
  }
  if (!allowed.includes(value.trim())) {
    errors.push({ field, message: `must be one of ${allowed.join(', ')}` })
  }
  return value.trim()
}

async function readJobForm(request: Request, maxUpload: number): Promise<FormData> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new HttpError(
      415,
      `Unsupported content type "${type || '(none)'}": submit jobs as multipart/form-data`,
    )
  }
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > maxUpload + MULTIPART_OVERHEAD) {
    throw new HttpError(413, `Upload too large: ${declared} bytes (limit ${maxUpload} bytes)`)
  }
  try {
    return await request.formData()
  } catch {
    throw new HttpError(400, 'Malformed multipart body')
  }
}

const submit = withAuth(
  async ({ request, auth }) => {
    const maxUpload = db.read().config.max_upload_bytes
    const form = await readJobForm(request, maxUpload)
    const errors: FieldError[] = []
    const name = text(form, 'name', errors)
    const serviceId = knownId(form, 'service_id', SERVICE_IDS, errors)
    const panelId = knownId(form, 'reference_panel_id', REFERENCE_PANEL_IDS, errors)
    const format = form.get('input_format')
    if (!INPUT_FORMATS.includes(format as InputFormat)) {
      errors.push({ field: 'input_format', message: `must be one of ${INPUT_FORMATS.join(', ')}` })
    }
    const build = form.get('build')
    if (!BUILDS.includes(build as GenomeBuild)) {
      errors.push({ field: 'build', message: `must be one of ${BUILDS.join(', ')}` })
    }
    const phasingRaw = form.get('phasing') ?? ''
    const phasingText = typeof phasingRaw === 'string' ? phasingRaw.trim().toLowerCase() : '?'
    if (!TRUE.includes(phasingText) && !FALSE.includes(phasingText)) {
      errors.push({ field: 'phasing', message: 'must be true or false' })
    }
    const file = form.get('input_file')
    if (!file || typeof file === 'string') {
      errors.push({ field: 'input_file', message: 'is required (a file)' })
    } else if (file.size === 0) {
      errors.push({ field: 'input_file', message: 'must not be empty' })
    }
    if (errors.length > 0) throw validationError(errors)
    const upload = file as File
    if (upload.size > maxUpload) {
      throw new HttpError(413, `Upload too large: ${upload.size} bytes (limit ${maxUpload} bytes)`)
    }
    const job = db.update((state, now) => {
      state.job_seq += 1
      const record: JobRecord = {
        id: `job_${state.job_seq}_${now.toString(36)}`,
        user_id: auth.user.id,
        name,
        service_id: serviceId,
        reference_panel_id: panelId,
        input_format: format as InputFormat,
        build: build as GenomeBuild,
        phasing: TRUE.includes(phasingText),
        file_name: upload.name || 'upload',
        file_size: upload.size,
        created_at: now,
        queue_ms: state.config.job_queue_seconds * 1000,
        run_ms: state.config.job_run_seconds * 1000,
        fails: /fail/i.test(upload.name),
        cancelled_at: null,
      }
      state.jobs.push(record)
      return jobAt(record, now)
    })
    return HttpResponse.json(job, { status: 201 })
  },
  { permission: 'jobs:submit' },
)

const list = withAuth(
  async ({ auth }) => {
    const state = db.read()
    const now = db.now()
    const items = state.jobs
      .filter((job) => job.user_id === auth.user.id)
      .sort((a, b) => b.created_at - a.created_at)
      .map((job) => jobAt(job, now))
    return HttpResponse.json({ items, total: items.length })
  },
  { permission: 'jobs:read' },
)

function ownJob(jobs: JobRecord[], id: string, userId: string): JobRecord {
  const job = jobs.find((j) => j.id === id && j.user_id === userId)
  // Another user's job is indistinguishable from a missing one.
  if (!job) throw new HttpError(404, `Job not found: ${id}`)
  return job
}

const get = withAuth(
  async ({ params, auth }) => {
    const job = ownJob(db.read().jobs, param(params, 'id'), auth.user.id)
    return HttpResponse.json(jobAt(job, db.now()))
  },
  { permission: 'jobs:read' },
)

const cancel = withAuth(
  async ({ params, auth }) => {
    const job = db.update((state, now) => {
      const record = ownJob(state.jobs, param(params, 'id'), auth.user.id)
      const current = jobAt(record, now)
      if (current.status !== 'queued' && current.status !== 'running') {
        throw new HttpError(409, `Job ${record.id} is already ${current.status}`)
      }
      record.cancelled_at = now
      return jobAt(record, now)
    })
    return HttpResponse.json(job)
  },
  { permission: 'jobs:cancel' },
)

export const jobHandlers = [
  http.post('*/api/v1/jobs', apiRoute(submit)),
  http.get('*/api/v1/jobs', apiRoute(list)),
  http.get('*/api/v1/jobs/:id', apiRoute(get)),
  http.post('*/api/v1/jobs/:id/cancel', apiRoute(cancel)),
]
