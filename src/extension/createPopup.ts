import type { BridgeCommand } from 'token-refresh-kit/devtools'
import { createAccessNotice, type AccessNoticeActions, type SiteAccess } from './createAccessNotice'
import { createActionLog } from './createActionLog'
import { createAttachPanel, type AttachActions } from './createAttachPanel'
import { createClaimsPanel } from './createClaimsPanel'
import { createControlsPanel } from './createControlsPanel'
import { createHistoryPanel } from './createHistoryPanel'
import { createSessionPanel } from './createSessionPanel'
import type { DebuggerView } from './debuggerProtocol'
import type { CommandResult, TabView } from './messages'

export type { SiteAccess } from './createAccessNotice'

export interface PopupDeps extends AccessNoticeActions, Partial<AttachActions> {
  sendCommand(command: BridgeCommand, id: string): void
  now?: () => number
}

export interface Popup {
  showView(view: TabView, probing: boolean): void
  showResult(result: CommandResult): void
  /** The tab in debugger mode (attached or not), for a page without the bridge. */
  showDebugger(view: DebuggerView): void
  setAccess(access: SiteAccess): void
  /** The connection to the service worker broke: a command still waiting will get no answer. */
  interrupt(): void
  /** Re-renders the countdown; called every second by the popup. */
  tick(): void
  destroy(): void
}

/** Renders the popup (or DevTools panel) for one tab into `root`: a notice, or the four panels. */
export function createPopup(root: HTMLElement, deps: PopupDeps): Popup {
  const now = deps.now ?? Date.now
  let view: TabView | null = null
  let probing = true
  let access: SiteAccess | null = null
  let nextId = 0

  const log = createActionLog()
  const send = (label: string, command: BridgeCommand) => {
    if (log.busy()) return
    const id = `${now()}-${++nextId}`
    log.start(id, label)
    renderControls()
    deps.sendCommand(command, id)
  }
  const notice = createAccessNotice(deps)
  const session = createSessionPanel()
  const controls = createControlsPanel(send, log.el)
  const claims = createClaimsPanel()
  const history = createHistoryPanel()
  const attach = createAttachPanel({
    attach: deps.attach ?? (async () => undefined),
    detach: deps.detach ?? (() => undefined),
    sendNetwork: deps.sendNetwork ?? (() => undefined),
  })
  const panels = [session, controls, claims, history]
  root.replaceChildren(notice.el, ...panels.map((panel) => panel.el), attach.el)

  // The page's clock now, from the snapshot's, so that a skewed extension clock changes nothing.
  const pageNow = () =>
    view?.snapshot && view.receivedAt !== null ? now() - view.receivedAt + view.snapshot.now : now()
  const renderControls = () => controls.render(view?.snapshot ?? null, log.busy())

  function render() {
    const ready = notice.render(view, probing, access)
    // Debugger mode is offered once the popup knows the page has no bridge it can use.
    const looking = !view || (!view.content && probing)
    attach.el.hidden = !attach.attached() && (ready || looking)
    for (const panel of panels) panel.el.hidden = !ready
    if (!ready) return
    const snapshot = view?.snapshot
    if (snapshot) {
      session.render(snapshot, pageNow())
      claims.render(snapshot.claims, pageNow())
      controls.showLifetime(snapshot.claims)
    }
    renderControls()
    history.render(view?.events ?? [])
  }

  render()

  return {
    showView(next, nextProbing) {
      view = next
      probing = nextProbing
      log.follow(next.events)
      render()
    },
    showResult(result) {
      log.settle(result)
      renderControls()
    },
    showDebugger(next) {
      attach.render(next, now())
      render()
    },
    setAccess(next) {
      access = next
      render()
    },
    interrupt() {
      if (log.interrupt()) renderControls()
    },
    tick() {
      attach.tick(now())
      const snapshot = view?.snapshot
      if (!snapshot) return
      session.tick(snapshot, pageNow())
      claims.render(snapshot.claims, pageNow())
    },
    destroy() {
      root.replaceChildren()
    },
  }
}
