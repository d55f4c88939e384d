import { Navigate, type RouteObject } from 'react-router'
import { RequireAuth } from 'token-refresh-kit/react'
import { Layout } from './components/Layout'
import { NotFound } from './components/NotFound'
import { RedirectToSignIn } from './components/RedirectToSignIn'
import { RouteError } from './components/RouteError'
import { JobsPage } from './pages/JobsPage'
import { PipelinesPage } from './pages/PipelinesPage'
import { QueuePage } from './pages/QueuePage'
import { RegisterPage } from './pages/RegisterPage'
import { SessionPage } from './pages/SessionPage'
import { SignInPage } from './pages/SignInPage'

export const routes: RouteObject[] = [
  {
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <SignInPage /> },
      { path: '/register', element: <RegisterPage /> },
      {
        element: (
          <RequireAuth fallback={<RedirectToSignIn />}>
            <Layout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <Navigate to="/pipelines" replace /> },
          { path: '/pipelines', element: <PipelinesPage /> },
          { path: '/jobs', element: <JobsPage /> },
          { path: '/queue', element: <QueuePage /> },
          { path: '/session', element: <SessionPage /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]
