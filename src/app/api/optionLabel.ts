/** The label people read for an API value in one of `jobOptions`' lists; the value itself when unknown. */
export function optionLabel(
  options: ReadonlyArray<{ value: string; label: string }>,
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined
  return options.find((option) => option.value === value)?.label ?? value
}
