import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const out = Buffer.alloc(body.length + 8)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), body.length + 4)
  return out
}

type Rgba = [number, number, number, number]

/** Coverage-based colour of one point of the icon, in units of the icon's size (0..1). */
function paint(x: number, y: number): Rgba | null {
  const radius = 0.22
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0)
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0)
  if (dx * dx + dy * dy > radius * radius) return null
  const cx = x - 0.5
  const cy = y - 0.5
  const distance = Math.hypot(cx, cy)
  const angle = Math.atan2(cy, cx)
  // A ring with a gap at the top right, and an arrow head closing it: "refresh".
  const onRing = distance > 0.2 && distance < 0.3 && !(angle > -Math.PI / 2 && angle < -Math.PI / 8)
  const tipX = cx - 0.25 * Math.cos(-Math.PI / 8)
  const tipY = cy - 0.25 * Math.sin(-Math.PI / 8)
  const onArrow = tipY > -0.02 && tipY < 0.13 && Math.abs(tipX) < 0.13 - tipY
  if (onRing || onArrow) return [76, 195, 138, 255]
  return [29, 36, 51, 255]
}

/** The extension's icon as a PNG of `size` pixels, drawn with 4x4 supersampling. */
export function renderIcon(size: number): Buffer {
  const rows: number[] = []
  const samples = 4
  for (let py = 0; py < size; py++) {
    rows.push(0)
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0]
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const color = paint(
            (px + (sx + 0.5) / samples) / size,
            (py + (sy + 0.5) / samples) / size,
          )
          if (!color) continue
          for (let i = 0; i < 3; i++) sum[i]! += color[i]! * color[3]
          sum[3]! += color[3]
        }
      }
      const alpha = sum[3]! / (samples * samples)
      const weight = sum[3]! || 1
      rows.push(
        Math.round(sum[0]! / weight),
        Math.round(sum[1]! / weight),
        Math.round(sum[2]! / weight),
        Math.round(alpha),
      )
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', new Uint8Array()),
  ])
}
