import { useContext } from 'react'
import { AppServicesContext, type AppServices } from '../AppServices'

export function useServices(): AppServices {
  const services = useContext(AppServicesContext)
  if (!services) throw new Error('useServices() must be used inside <App services={...}>.')
  return services
}
