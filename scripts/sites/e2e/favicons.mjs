// favicons 7: every icon from a PNG photo and from an SVG (`sharp({ create })` with
// `composite` for each icon's canvas, resize, PNG), written by a script; each icon is
// described by name, format, size and pixels.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { runNode } from './common.mjs'

export const dependencies = { favicons: '7.3.1' }

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#2a6df4"/><circle cx="32" cy="32" r="18" fill="#fff"/><path d="M24 32 L30 38 L42 26" stroke="#2a6df4" stroke-width="5" fill="none"/></svg>'

export function files(photos) {
  const script = `import { favicons } from 'favicons'
import { mkdirSync, writeFileSync } from 'node:fs'
const sources = { png: ${JSON.stringify(photos.find((p) => p.endsWith('.png')))}, svg: 'logo.svg' }
for (const [name, source] of Object.entries(sources)) {
  const { images } = await favicons(source, { path: '/', appName: 'e2e', icons: { appleStartup: false } })
  mkdirSync('out/' + name, { recursive: true })
  for (const image of images) writeFileSync('out/' + name + '/' + image.name, image.contents)
}
`
  return { 'build.mjs': script, 'logo.svg': svg }
}

export async function run(dir) {
  await runNode(dir, ['build.mjs'])
  const folder = path.join(dir, 'out')
  const names = readdirSync(folder, { recursive: true }).filter((f) => /\.png$/i.test(f)).sort()
  return Promise.all(names.map(async (name) => {
    const file = path.join(folder, name)
    const { format, width, height } = await sharp(file).metadata()
    const pixels = await sharp(file).resize(32, 32, { fit: 'fill' }).ensureAlpha().raw().toBuffer()
    return { label: name, format, width, height, pixels: pixels.toString('base64') }
  }))
}
