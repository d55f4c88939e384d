import type { NetworkAction } from './debuggerProtocol'
import { h } from './h'

/**
 * The debugger mode's log: each control used, what it did, and what the page did next.
 * Entries are kept by id and their text updated in place, so a screen reader hears news once.
 */
export function createNetworkLog() {
  const el = h('div', { class: 'log', role: 'log', 'aria-label': 'What happened at the network' })
  const entries = new Map<string, { element: HTMLElement; detail: Text; next: Text }>()
  const empty = h(
    'p',
    { class: 'empty' },
    'Use a control: what it did and what the page did next appear here.',
  )
  el.append(empty)

  return {
    el,
    render(actions: NetworkAction[]) {
      empty.hidden = actions.length > 0
      for (const [id, entry] of entries) {
        if (!actions.some((action) => action.id === id)) {
          entry.element.remove()
          entries.delete(id)
        }
      }
      for (const action of [...actions].reverse()) {
        let entry = entries.get(action.id)
        if (!entry) {
          const detail = document.createTextNode('')
          const next = document.createTextNode('')
          const element = h(
            'div',
            { class: 'action' },
            h('p', {}, h('strong', {}, action.label), ' — ', detail),
            h('p', { class: 'next' }, 'Then the page: ', next),
          )
          entry = { element, detail, next }
          entries.set(action.id, entry)
          el.prepend(element)
        }
        entry.element.className = `action ${action.ok ? 'done' : 'failed'}`
        const nextText = action.next ?? 'nothing yet (it reacts at its next request).'
        if (entry.detail.data !== action.detail) entry.detail.data = action.detail
        if (entry.next.data !== nextText) entry.next.data = nextText
      }
    },
  }
}
