export { attachAuthInterceptor } from './attachAuthInterceptor'
export type { AuthInterceptorOptions } from './attachAuthInterceptor'
