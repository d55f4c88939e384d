import { h } from './h'

/** A `type="button"` button that calls `onClick`. */
export function button(
  label: string,
  onClick: () => void,
  props: Record<string, string> = {},
): HTMLButtonElement {
  const element = h('button', { type: 'button', ...props }, label)
  element.addEventListener('click', onClick)
  return element
}
