import type { InputHTMLAttributes } from 'react'

export interface CredentialsFieldsProps {
  email: string
  password: string
  onEmailChange: (email: string) => void
  onPasswordChange: (password: string) => void
  /** Puts the cursor in the password field on mount, for when the email is known; default false. */
  focusPassword?: boolean
}

/** The Email and Password fields of a sign-in form, with the autocomplete password managers read. */
export function CredentialsFields({
  email,
  password,
  onEmailChange,
  onPasswordChange,
  focusPassword = false,
}: CredentialsFieldsProps) {
  return (
    <>
      <Field
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        onValue={onEmailChange}
      />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        autoFocus={focusPassword}
        value={password}
        onValue={onPasswordChange}
      />
    </>
  )
}

type FieldProps = { label: string; onValue: (value: string) => void } & Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'autoComplete' | 'autoFocus' | 'value'
>

function Field({ label, onValue, ...input }: FieldProps) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <input className="input" required {...input} onChange={(e) => onValue(e.target.value)} />
    </label>
  )
}
