import type { TokenPair } from 'token-refresh-kit'
import { CLIENT_ID, TOKEN_ENDPOINT } from './config'

export interface Credentials {
  email: string
  password: string
}

/** RFC 6749 section 5: a token response, or an error with its description. */
interface TokenAnswer {
  access_token?: string
  refresh_token?: string
  expires_in?: number
  error_description?: string
}

/** Signs in with the password grant at the token endpoint; `useAuth().login` adopts the pair. */
export async function signIn({ email, password }: Credentials): Promise<TokenPair> {
  const response = await fetch(TOKEN_ENDPOINT, {
    method: 'POST',
    headers: { Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: CLIENT_ID,
      username: email,
      password,
    }),
  })
  const answer = (await response.json().catch(() => ({}))) as TokenAnswer
  if (!response.ok || !answer.access_token) {
    throw new Error(
      answer.error_description ?? `Sign-in failed: the server answered ${response.status}`,
    )
  }
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? null,
    ...(answer.expires_in !== undefined && { expiresIn: answer.expires_in }),
  }
}
