import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
]

/** The page without fenced code blocks and code spans, where `[x](y)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
}

/** Every inline link and image target of a page. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
    (match) => match[1]!,
  )
}

/** The anchors GitHub gives a page's headings (github-slugger: lower case, punctuation dropped). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const [, heading] of markdown
    .replace(/^```[\s\S]*?^```/gm, '')
    .matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    result.add(count === 0 ? base : `${base}-${count}`)
  }
  return result
}

describe('the links of README.md and docs/*.md', () => {
  it.each(pages)(
    '%s: every relative link points at a file that exists, and every #anchor at a heading',
    (page) => {
      const text = readFileSync(join(ROOT, page), 'utf8')
      const broken: string[] = []
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // https:, mailto:, chrome-extension:
        const [path = '', anchor] = target.split('#')
        const file = path === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURI(path))
        const name = relative(ROOT, file)
        if (!existsSync(file)) {
          broken.push(`${target}: no file ${name}`)
          continue
        }
        if (anchor !== undefined && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
          broken.push(`${target}: no heading in ${name} has the anchor #${anchor}`)
        }
      }
      expect(broken).toEqual([])
    },
  )

  it('reads links and anchors the way GitHub does', () => {
    const page =
      "# The app's bundle (`bench/bundle.ts`)\n## OAuth 2.0\n## OAuth 2.0\n```md\n# Not a heading\n[not](a-link.md)\n```\n[a](b.md#c) `[code](span.md)` ![img](s.png)"
    expect([...anchors(page)]).toEqual(['the-apps-bundle-benchbundlets', 'oauth-20', 'oauth-20-1'])
    expect(linkTargets(page)).toEqual(['b.md#c', 's.png'])
  })
})
