/** A `console.table` argument as a Markdown table: one column per key, numbers right-aligned. */
export function toMarkdownTable(data: unknown): string {
  const rows: Record<string, unknown>[] = Array.isArray(data)
    ? data.map((row) => (isRecord(row) ? row : { value: row }))
    : isRecord(data)
      ? Object.entries(data).map(([key, row]) => ({
          '': key,
          ...(isRecord(row) ? row : { value: row }),
        }))
      : []
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  if (columns.length === 0) return ''
  const numeric = columns.map((column) =>
    rows.every((row) => row[column] === undefined || typeof row[column] === 'number'),
  )
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [
    line(columns.map(cell)),
    line(numeric.map((right) => (right ? '---:' : '---'))),
    ...rows.map((row) => line(columns.map((column) => cell(row[column])))),
  ].join('\n')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
