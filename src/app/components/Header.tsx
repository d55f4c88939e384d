import { useId, useState } from 'react'
import { NavLink } from 'react-router'
import { useAuth } from 'token-refresh-kit/react'
import { BrandMark } from './BrandMark'
import { SessionStatus } from './SessionStatus'

const links = [
  { to: '/pipelines', label: 'Pipelines' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/queue', label: 'Queue' },
  { to: '/session', label: 'Session' },
]

/** The top bar. Under 760 px the links, the user and Sign out fold behind a Menu button. */
export function Header() {
  const { user, logout } = useAuth()
  const menuId = useId()
  const [open, setOpen] = useState(false)
  const shown = user?.email ?? user?.username ?? String(user?.sub ?? '')
  return (
    <header className={`header${open ? ' header--open' : ''}`}>
      <div className="header__inner">
        <NavLink to="/pipelines" className="brand" aria-label="ETL Console, home">
          <BrandMark />
          <span className="brand__name">ETL Console</span>
        </NavLink>
        <SessionStatus />
        <button
          type="button"
          className="button button--ghost header__toggle"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen(!open)}
        >
          Menu
        </button>
        <div className="header__menu" id={menuId}>
          <nav className="nav" aria-label="Main">
            {links.map((link) => (
              <NavLink
                key={link.to}
                to={link.to}
                className="nav__link"
                onClick={() => setOpen(false)}
              >
                {link.label}
              </NavLink>
            ))}
          </nav>
          <div className="header__side">
            {user && (
              <span className="user" title={shown}>
                <span className="user__avatar" aria-hidden="true">
                  {(user.name ?? user.username ?? user.email ?? '?').slice(0, 1).toUpperCase()}
                </span>
                <span className="user__name">{shown}</span>
                {user.role && <span className="user__role">{user.role}</span>}
              </span>
            )}
            <button type="button" className="button button--ghost" onClick={() => void logout()}>
              Sign out
            </button>
          </div>
        </div>
      </div>
    </header>
  )
}
