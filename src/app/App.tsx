import { RouterProvider, type createBrowserRouter } from 'react-router'
import { AuthProvider } from 'token-refresh-kit/react'
import { AppServicesContext, type AppServices } from './AppServices'

export interface AppProps {
  services: AppServices
  router: ReturnType<typeof createBrowserRouter>
}

export function App({ services, router }: AppProps) {
  return (
    <AppServicesContext.Provider value={services}>
      <AuthProvider session={services.session} login={services.auth.login}>
        <RouterProvider router={router} />
      </AuthProvider>
    </AppServicesContext.Provider>
  )
}
