import { describeAuthEvent } from 'token-refresh-kit/devtools'
import type { BridgeEvent } from 'token-refresh-kit/devtools'
import { formatClock } from 'token-refresh-kit'
import { h } from './h'

/** The tab's session events, newest first. */
export function createHistoryPanel() {
  const history = h('ol', { class: 'history' })
  const el = h(
    'section',
    { class: 'history-panel', 'aria-labelledby': 'history-title', hidden: true },
    h('h2', { id: 'history-title' }, 'Refresh history'),
    history,
  )

  return {
    el,
    render(events: BridgeEvent[]) {
      if (events.length === 0) {
        history.replaceChildren(h('li', { class: 'empty' }, 'Nothing yet.'))
        return
      }
      history.replaceChildren(
        ...[...events].reverse().map((event) => {
          const { title, detail, tone } = describeAuthEvent(event)
          return h(
            'li',
            { class: tone },
            h('time', {}, formatClock(event.at)),
            h('strong', {}, title),
            detail ? h('span', {}, detail) : null,
          )
        }),
      )
    },
  }
}
