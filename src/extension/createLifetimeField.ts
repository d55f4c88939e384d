import { LIFETIME_LIMITS, type SessionSnapshot } from 'token-refresh-kit/devtools'
import { h } from './h'

const REFUSED = `Refused: the lifetime must be a whole number of seconds from ${LIFETIME_LIMITS.min} to ${LIFETIME_LIMITS.max}.`

/** The access token lifetime field, which refuses a value out of bounds in place, with the reason. */
export function createLifetimeField() {
  const input = h('input', {
    id: 'lifetime',
    type: 'number',
    min: LIFETIME_LIMITS.min,
    max: LIFETIME_LIMITS.max,
    step: 1,
    value: 10,
    inputmode: 'numeric',
  })
  const error = h('p', { id: 'lifetime-error', class: 'error', hidden: true })
  // Shows the lifetime of the page's current token until the tester types another.
  let typed = false
  input.addEventListener('input', () => {
    typed = true
    showError(null)
  })

  function showError(message: string | null) {
    error.hidden = message === null
    error.textContent = message ?? ''
    if (message === null) {
      input.removeAttribute('aria-invalid')
      input.removeAttribute('aria-describedby')
    } else {
      input.setAttribute('aria-invalid', 'true')
      input.setAttribute('aria-describedby', 'lifetime-error')
    }
  }

  return {
    input,
    error,
    /** The seconds typed, or null, with the reason shown, when they are out of bounds. */
    read(): number | null {
      const seconds = Number(input.value)
      const valid =
        input.value.trim() !== '' &&
        Number.isInteger(seconds) &&
        seconds >= LIFETIME_LIMITS.min &&
        seconds <= LIFETIME_LIMITS.max
      showError(valid ? null : REFUSED)
      return valid ? seconds : null
    },
    /** Shows the current token's lifetime, unless the tester has typed one. */
    follow(claims: SessionSnapshot['claims']) {
      const { iat, exp } = claims ?? {}
      if (!typed && typeof iat === 'number' && typeof exp === 'number' && exp > iat)
        input.value = String(exp - iat)
    },
  }
}
