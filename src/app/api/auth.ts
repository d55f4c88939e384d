import axios from 'axios'
import type { TokenPair } from 'token-refresh-kit'

export interface Credentials {
  email: string
  password: string
}

export interface Registration extends Credentials {
  name: string
  role?: string
}

interface TokenResponse {
  access_token: string
  refresh_token?: string | null
  expires_in?: number
}

function toPair(data: TokenResponse): TokenPair {
  return {
    accessToken: data.access_token,
    refreshToken: data.refresh_token ?? null,
    expiresIn: data.expires_in,
  }
}

// Login and register go around the interceptor: there is no session to refresh yet.
export function createAuthApi(baseURL: string, options: { withCredentials?: boolean } = {}) {
  const http = axios.create({ baseURL, timeout: 15_000, withCredentials: options.withCredentials })
  return {
    login: async (credentials: Credentials): Promise<TokenPair> =>
      toPair((await http.post<TokenResponse>('/api/v1/auth/login', credentials)).data),
    register: async (registration: Registration): Promise<TokenPair> =>
      toPair((await http.post<TokenResponse>('/api/v1/auth/register', registration)).data),
  }
}

export type AuthApi = ReturnType<typeof createAuthApi>
