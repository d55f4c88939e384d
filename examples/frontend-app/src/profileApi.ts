import axios from 'axios'
import { attachAuthInterceptor } from 'token-refresh-kit/axios'
import { API_URL } from './config'
import { session } from './session'

/** The app's own axios (1.7), which the kit's interceptor drives: the kit brings no axios. */
export const profileApi = axios.create({ baseURL: API_URL })
attachAuthInterceptor(profileApi, session)
