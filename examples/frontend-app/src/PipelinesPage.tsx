import { useCallback, useEffect, useState } from 'react'
import { api } from './api'
import { messageOf } from './messageOf'
import { profileApi } from './profileApi'

interface Profile {
  name: string
  role: string
}

interface Dag {
  dag_id: string
  description: string | null
}

type PageState =
  | { state: 'loading' }
  | { state: 'loaded'; profile: Profile; dags: Dag[] }
  | { state: 'failed'; message: string }

// Two clients on purpose: ky on the kit's fetch, and axios through its interceptor.
async function loadPage(): Promise<{ profile: Profile; dags: Dag[] }> {
  const [list, profile] = await Promise.all([
    api.get('api/v2/dags').json<{ dags: Dag[] }>(),
    profileApi.get<Profile>('/api/v1/auth/me'),
  ])
  return { profile: profile.data, dags: list.dags }
}

/** The protected page: who is signed in, and the pipelines they may see. */
export function PipelinesPage() {
  const [page, setPage] = useState<PageState>({ state: 'loading' })
  const fetchPage = useCallback(
    () =>
      loadPage().then(
        (loaded) => setPage({ state: 'loaded', ...loaded }),
        (error: unknown) => setPage({ state: 'failed', message: messageOf(error) }),
      ),
    [],
  )
  useEffect(() => {
    void fetchPage()
  }, [fetchPage])

  return (
    <main>
      <h1>Pipelines</h1>
      <button
        type="button"
        disabled={page.state === 'loading'}
        onClick={() => {
          setPage({ state: 'loading' })
          void fetchPage()
        }}
      >
        Reload
      </button>
      {page.state === 'loading' && <p>Loading…</p>}
      {page.state === 'failed' && <p role="alert">{page.message}</p>}
      {page.state === 'loaded' && (
        <>
          <p>
            Signed in as {page.profile.name} ({page.profile.role})
          </p>
          <ul aria-label="Pipelines">
            {page.dags.map((dag) => (
              <li key={dag.dag_id}>
                <strong>{dag.dag_id}</strong> {dag.description}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  )
}
