import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useAuthStore } from 'token-refresh-kit/react'
import { jobOptions } from '../api/jobOptions'
import { submitJob, type Job, type JobInput } from '../api/jobs'
import { readApiError, type ApiErrorInfo } from '../api/readApiError'
import { UPLOAD_STARTED, type UploadProgress } from '../api/uploadProgress'
import { usePermission } from '../hooks/usePermission'
import { useServices } from '../hooks/useServices'
import { Alert } from './Alert'
import { PermissionNote } from './PermissionNote'
import { ProgressBar } from './ProgressBar'

type Values = Omit<JobInput, 'input_file'>
type Errors = Partial<Record<keyof JobInput, string>>

const initial: Values = {
  name: '',
  service_id: '',
  reference_panel_id: '',
  input_format: 'vcf',
  build: 'hg38',
  phasing: 'true',
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

function validate(values: Values, file: File | null): Errors {
  const errors: Errors = {}
  if (!values.name.trim()) errors.name = 'Give the job a name.'
  else if (values.name.trim().length > 100) errors.name = 'Keep the name under 100 characters.'
  if (!values.service_id) errors.service_id = 'Choose a service.'
  if (!values.reference_panel_id) errors.reference_panel_id = 'Choose a reference panel.'
  if (!jobOptions.inputFormats.some((f) => f.value === values.input_format))
    errors.input_format = 'Choose an input format.'
  if (!jobOptions.builds.some((b) => b.value === values.build))
    errors.build = 'Choose a genome build.'
  if (!file) errors.input_file = 'Choose the input file to upload.'
  else if (file.size === 0) errors.input_file = 'The file is empty.'
  else if (file.size > jobOptions.maxUploadBytes)
    errors.input_file = `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(jobOptions.maxUploadBytes)}.`
  return errors
}

const FORM_FIELDS = new Set<string>([...Object.keys(initial), 'input_file'])

/** The failure once: the fields the form marks are not repeated in the notice above them. */
function failureText(info: ApiErrorInfo): string {
  const marked = Object.keys(info.fields).filter((field) => FORM_FIELDS.has(field))
  if (marked.length === 0) return info.message
  const others = Object.entries(info.fields)
    .filter(([field]) => !FORM_FIELDS.has(field))
    .map(([, message]) => ` ${message}.`)
    .join('')
  const what = marked.length === 1 ? 'the field' : `the ${marked.length} fields`
  return `Submitting the job failed: correct ${what} marked below.${others}`
}

function UploadStatus({
  progress,
  size,
  waitingForSignIn,
}: {
  progress: UploadProgress
  size: number | null
  waitingForSignIn: boolean
}) {
  const file = size === null ? 'the file' : formatBytes(size)
  const sent = progress.phase === 'sending' ? progress.fraction : null
  // Whole percents rounded down: 100 % means every byte sent, which is the processing phase.
  const percent = sent === null ? null : Math.floor(sent * 100)
  const text = waitingForSignIn
    ? 'Waiting for you to sign in again; the job is sent then.'
    : progress.phase === 'processing'
      ? `Processing… ${file} uploaded, waiting for the server.`
      : sent === null
        ? `Sending ${file}…`
        : size === null
          ? `Uploading… ${percent}%`
          : `Uploading… ${formatBytes(sent * size)} of ${file} (${percent}%)`
  return (
    <div className="upload">
      {/* Indeterminate until the browser reports a byte sent (none does for a service worker's
          mocks), and again once all are sent and the server is working: never a made-up 0 %. */}
      <ProgressBar value={waitingForSignIn ? null : percent} label="Upload progress" />
      <span className="upload__text">{text}</span>
    </div>
  )
}

/** Submits a job with its input file; keeps what was typed while a re-sign-in is pending. */
export function JobForm({ onSubmitted }: { onSubmitted: (job: Job) => void }) {
  const { api } = useServices()
  const { allowed, known, role } = usePermission('jobs:submit')
  const waitingForSignIn = useAuthStore((s) => s.status === 'ended')
  const noteId = useId()
  const fileInput = useRef<HTMLInputElement>(null)
  const resultBox = useRef<HTMLDivElement>(null)
  const [values, setValues] = useState<Values>(initial)
  const [file, setFile] = useState<File | null>(null)
  const [errors, setErrors] = useState<Errors>({})
  const [upload, setUpload] = useState<UploadProgress | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [result, setResult] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null)

  // The submit button disabled itself while sending and let go of the focus: the outcome takes it.
  useEffect(() => {
    if (result) resultBox.current?.focus()
  }, [result])

  const set = (key: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found = validate(values, file)
    setErrors(found)
    setResult(null)
    if (Object.keys(found).length > 0 || !file) return
    setSubmitting(true)
    setUpload(UPLOAD_STARTED)
    try {
      const job = await submitJob(
        api,
        { ...values, name: values.name.trim(), input_file: file },
        { onProgress: setUpload },
      )
      setResult({ tone: 'success', text: `Job “${job.name}” submitted: it is ${job.status}.` })
      setValues(initial)
      setFile(null)
      if (fileInput.current) fileInput.current.value = ''
      onSubmitted(job)
    } catch (caught) {
      const info = readApiError(caught, 'Submitting the job')
      setErrors(info.fields as Errors)
      setResult({ tone: 'danger', text: failureText(info) })
    } finally {
      setSubmitting(false)
      setUpload(null)
    }
  }

  const describedBy = (key: keyof JobInput) => (errors[key] ? `job-${key}-error` : undefined)
  const error = (key: keyof JobInput) =>
    errors[key] && (
      <span className="field__error" id={`job-${key}-error`}>
        {errors[key]}
      </span>
    )
  const select = (
    key: keyof Values,
    label: string,
    options: Array<{ value: string; label: string }>,
    placeholder?: string,
  ) => (
    <div className="field">
      <label className="field__control">
        <span className="field__label">{label}</span>
        <select
          className={`input${errors[key] ? ' input--invalid' : ''}`}
          value={values[key]}
          onChange={set(key)}
          aria-invalid={errors[key] ? true : undefined}
          aria-describedby={describedBy(key)}
        >
          {placeholder && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      {error(key)}
    </div>
  )
  const accept = jobOptions.inputFormats.find((f) => f.value === values.input_format)?.accept
  const readOnly = known && !allowed

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New job">
      {readOnly && (
        <PermissionNote id={noteId} role={role} action="submit jobs" permission="jobs:submit" />
      )}
      <fieldset className="form__fields" disabled={readOnly}>
        <div className="field">
          <label className="field__control">
            <span className="field__label">Job name</span>
            <input
              className={`input${errors.name ? ' input--invalid' : ''}`}
              value={values.name}
              onChange={set('name')}
              placeholder="e.g. Cohort A chr20"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy('name')}
            />
          </label>
          {error('name')}
        </div>
        <div className="form__row">
          {select('service_id', 'Service', jobOptions.services, 'Choose a service…')}
          {select(
            'reference_panel_id',
            'Reference panel',
            jobOptions.referencePanels,
            'Choose a panel…',
          )}
        </div>
        <div className="form__row form__row--3">
          {select('input_format', 'Input format', jobOptions.inputFormats)}
          {select('build', 'Genome build', jobOptions.builds)}
          {select('phasing', 'Phasing', jobOptions.phasing)}
        </div>
        <div className="field">
          <label className="field__control">
            <span className="field__label">Input file</span>
            <input
              ref={fileInput}
              className={`input input--file${errors.input_file ? ' input--invalid' : ''}`}
              type="file"
              accept={accept}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              aria-invalid={errors.input_file ? true : undefined}
              aria-describedby={describedBy('input_file')}
            />
          </label>
          {file && !errors.input_file && (
            <span className="field__hint">
              {file.name} · {formatBytes(file.size)}
            </span>
          )}
          {error('input_file')}
        </div>
      </fieldset>
      {upload !== null && (
        <UploadStatus
          progress={upload}
          size={file?.size ?? null}
          waitingForSignIn={waitingForSignIn}
        />
      )}
      <div ref={resultBox} tabIndex={-1} className="form__result">
        {result && <Alert tone={result.tone}>{result.text}</Alert>}
      </div>
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={readOnly || submitting}
          aria-describedby={readOnly ? noteId : undefined}
        >
          {submitting ? 'Submitting…' : 'Submit job'}
        </button>
      </div>
    </form>
  )
}
