import { NavLink } from 'react-router'
import { useAuth } from '../../react'
import { SessionStatus } from './SessionStatus'

const links = [
  { to: '/pipelines', label: 'Pipelines' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/queue', label: 'Queue' },
  { to: '/session', label: 'Session' },
]

export function Header() {
  const { user, logout } = useAuth()
  return (
    <header className="header">
      <div className="header__inner">
        <NavLink to="/pipelines" className="brand" aria-label="ETL Console, home">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          ETL Console
        </NavLink>
        <nav className="nav" aria-label="Main">
          {links.map((link) => (
            <NavLink key={link.to} to={link.to} className="nav__link">
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="header__side">
          <SessionStatus />
          {user && (
            <span className="user" title={user.email ?? undefined}>
              <span className="user__avatar" aria-hidden="true">
                {(user.name ?? user.username ?? user.email ?? '?').slice(0, 1).toUpperCase()}
              </span>
              <span className="user__name">{user.email ?? user.username ?? user.sub}</span>
              {user.role && <span className="user__role">{user.role}</span>}
            </span>
          )}
          <button type="button" className="button button--ghost" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </div>
    </header>
  )
}
