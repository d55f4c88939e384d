import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ADMIN, renderApp } from './support/renderApp'

const heading = () => screen.getByRole('heading', { level: 1 })

describe('moving between pages, by keyboard and screen reader', () => {
  it('offers a skip link first, then names the tab after each page and moves the focus to its heading', async () => {
    const { user } = await renderApp('/pipelines', { as: ADMIN })
    await screen.findByRole('heading', { level: 1, name: 'Pipelines' })
    expect(document.title).toBe('Pipelines · ETL Console')

    // The page put the focus on its heading; from the top of the document, the skip link is first.
    expect(heading()).toHaveFocus()
    ;(document.activeElement as HTMLElement).blur()
    await user.tab()
    const skip = screen.getByRole('link', { name: 'Skip to the content' })
    expect(skip).toHaveFocus()
    expect(skip).toHaveAttribute('href', '#main')
    expect(document.getElementById('main')).toBe(screen.getByRole('main'))

    const nav = screen.getByRole('navigation', { name: 'Main' })
    for (const name of ['Jobs', 'Queue', 'Session', 'Pipelines']) {
      await user.click(within(nav).getByRole('link', { name }))
      await waitFor(() => expect(heading()).toHaveTextContent(name))
      expect(document.title).toBe(`${name} · ETL Console`)
      await waitFor(() => expect(heading()).toHaveFocus())
    }
  })

  it.each([
    ['/login', 'Sign in'],
    ['/register', 'Create an account'],
    ['/no/such/page', 'Page not found'],
  ])('names the tab of %s after its h1', async (path, title) => {
    await renderApp(path, path === '/no/such/page' ? { as: ADMIN } : {})
    expect(await screen.findByRole('heading', { level: 1, name: title })).toBeInTheDocument()
    expect(document.title).toBe(`${title} · ETL Console`)
  })
})
