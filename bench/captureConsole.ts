import { format } from 'node:util'
import { toMarkdownTable } from './toMarkdownTable'

/**
 * Records what a suite prints for the docs, while it still prints: every `console.table` as a
 * Markdown table and every `console.log` or `console.info` line as a paragraph. Indented lines
 * are left out: the suites indent progress and traces (`CHAOS_TRACE`), which are not results.
 */
export function captureConsole(): { stop: () => string } {
  const blocks: string[] = []
  const { table, log, info } = console
  let inTable = false
  const text = (args: unknown[]) => {
    if (inTable) return // console.table prints its box through console.log
    const line = format(...args).replace(/^\n+/, '')
    if (line.trim() !== '' && !/^\s/.test(line)) blocks.push(line)
  }
  console.table = (data: unknown, properties?: string[]) => {
    inTable = true
    try {
      table.call(console, data, properties)
    } finally {
      inTable = false
    }
    const markdown = toMarkdownTable(data)
    if (markdown) blocks.push(markdown)
  }
  console.log = (...args: unknown[]) => {
    log.apply(console, args)
    text(args)
  }
  console.info = (...args: unknown[]) => {
    info.apply(console, args)
    text(args)
  }
  return {
    stop: () => {
      Object.assign(console, { table, log, info })
      return blocks.join('\n\n')
    },
  }
}
