/** Why a control is disabled: shown next to it instead of letting the user meet a 403. */
export function PermissionNote({
  id,
  role,
  action,
  permission,
}: {
  id: string
  role: string
  action: string
  permission: string
}) {
  return (
    <p className="permission-note" id={id}>
      Your role (<strong>{role}</strong>) cannot {action}: it needs the <code>{permission}</code>{' '}
      permission. Ask an administrator for access.
    </p>
  )
}
