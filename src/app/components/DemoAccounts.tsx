/** The mocks' seeded accounts, on the sign-in page wherever the mock control API answers. */
export function DemoAccounts() {
  return (
    <div className="auth__hint">
      <strong>Demo accounts</strong> (mock mode)
      <br />
      <code>admin@etl.local</code> / <code>admin123</code> — every permission
      <br />
      <code>viewer@etl.local</code> / <code>viewer123</code> — read only
    </div>
  )
}
