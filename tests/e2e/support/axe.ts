import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * Runs axe-core 4 on the page as it is now and returns its serious and critical violations,
 * one line each with the first nodes it found, so that a failure says what to fix.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugger protocol rather than a <script> tag, which the
  // extension's content security policy would refuse.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${source}\n;0`)
  return page.evaluate(async () => {
    type Result = {
      id: string
      impact: string | null
      help: string
      nodes: Array<{ target: string[] }>
    }
    const axe = (
      window as unknown as {
        axe: { run: (context: Document) => Promise<{ violations: Result[] }> }
      }
    ).axe
    const { violations } = await axe.run(document)
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.impact} ${v.id} (${v.help}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      )
  })
}
