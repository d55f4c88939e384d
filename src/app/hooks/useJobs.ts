import { isActive, listJobs, type JobList } from '../api/jobs'
import { usePolling, type Polled } from './usePolling'
import { useServices } from './useServices'

/** The user's jobs, polled each second while one is queued or running, else every 5 s. */
export function useJobs(action: string): Polled<JobList> {
  const { api } = useServices()
  return usePolling(
    (signal) => listJobs(api, signal),
    (data) => (data?.items.some(isActive) ? 1000 : 5000),
    action,
  )
}
