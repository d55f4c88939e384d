/** The logo: a drawn diamond, so that no font has to carry a glyph for it. */
export function BrandMark() {
  return <span className="brand__mark" aria-hidden="true" />
}
