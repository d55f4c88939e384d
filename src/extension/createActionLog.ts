import { describeAuthEvent } from 'token-refresh-kit/devtools'
import type { BridgeEvent } from 'token-refresh-kit/devtools'
import { h } from './h'
import type { CommandResult } from './messages'

/** A control the tester used, with its entry in the log. */
interface Action {
  id: string
  state: 'pending' | 'done' | 'failed'
  detail: string
  /** What the app did next. */
  events: BridgeEvent[]
  element: HTMLElement
  detailText: Text
  next: HTMLElement
  /** How many of `events` the entry shows. */
  shown: number
}

const KEPT = 3
const EVENTS_PER_ACTION = 8
const keyOf = (event: BridgeEvent) => `${event.type}:${event.at}`
const clip = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/**
 * The log under the controls: each control the tester used, what it did, then what the app did
 * next. Entries are updated in place and only appended to, never rebuilt, so that a screen reader
 * hears each piece of news once.
 */
export function createActionLog() {
  const el = h('div', { class: 'log', role: 'log', 'aria-label': 'What happened' })
  let actions: Action[] = []
  // The events already seen, so that only those after a control are laid at its door.
  let seen: Set<string> | null = null

  el.replaceChildren(
    h('p', { class: 'empty' }, 'Use a control: what it did and what the app did next appear here.'),
  )

  function update(action: Action) {
    action.element.className = `action ${action.state}`
    if (action.detailText.data !== action.detail) action.detailText.data = action.detail
    action.next.hidden = action.state === 'failed'
    const fresh = action.events.slice(action.shown)
    const wait = action.next.querySelector('.wait')
    if (fresh.length > 0) {
      wait?.remove()
      for (const event of fresh) {
        const { title, detail } = describeAuthEvent(event)
        action.next.append(
          action.shown > 0 ? ' → ' : '',
          h('span', {}, detail ? `${title} (${clip(detail)})` : title),
        )
        action.shown += 1
      }
    } else if (action.shown === 0 && wait && action.state === 'done') {
      wait.textContent = 'nothing yet (it reacts at its next request or refresh).'
    }
  }

  return {
    el,
    /** A control sent is still waiting for its answer. */
    busy: () => actions[0]?.state === 'pending',
    /** Opens the entry of a control just sent; the three latest are kept. */
    start(id: string, label: string) {
      const detail = 'Sent to the page…'
      const detailText = document.createTextNode(detail)
      const next = h('p', { class: 'next' }, 'Then the app: ', h('span', { class: 'wait' }, '…'))
      const element = h(
        'div',
        { class: 'action pending' },
        h('p', {}, h('strong', {}, label), ' — ', detailText),
        next,
      )
      actions = [
        { id, state: 'pending', detail, events: [], element, detailText, next, shown: 0 },
        ...actions,
      ]
      for (const dropped of actions.splice(KEPT)) dropped.element.remove()
      el.querySelector('.empty')?.remove()
      el.prepend(element)
    },
    /** The page's answer to a control. */
    settle(result: CommandResult) {
      const action = actions.find((candidate) => candidate.id === result.id)
      if (!action) return
      action.state = result.ok ? 'done' : 'failed'
      action.detail = result.ok
        ? result.detail
        : `failed: ${result.error?.message ?? 'unknown error'} ${result.detail}`.trim()
      update(action)
    },
    /** Fails every control still waiting; returns whether there was one. */
    interrupt(): boolean {
      const waiting = actions.filter((action) => action.state === 'pending')
      for (const action of waiting) {
        action.state = 'failed'
        action.detail =
          'no answer: the extension restarted meanwhile. Check the history, then try again.'
        update(action)
      }
      return waiting.length > 0
    },
    /** Adds the tab's events not seen before to the latest control, as what the app did next. */
    follow(events: BridgeEvent[]) {
      if (seen === null) {
        seen = new Set(events.map(keyOf))
        return
      }
      const known = seen
      const fresh = events.filter((event) => !known.has(keyOf(event)))
      for (const event of fresh) known.add(keyOf(event))
      const latest = actions[0]
      if (latest && latest.state !== 'failed' && fresh.length > 0) {
        latest.events = [...latest.events, ...fresh].slice(0, EVENTS_PER_ACTION)
        update(latest)
      }
    },
  }
}
