// SVG input against sharp's librsvg as the oracle: same sizes at every density, pixels
// within a stated bound; enlarged SVGs rendered at the output size; and an SVG never
// makes the process read a file or open a connection.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import sharp from 'sharp'
import { createQueue } from '../index.mjs'
import { rejectsWith, scratch } from './helpers.mjs'

/** Shapes, strokes, a path, opacity and a gradient: what logos and icons are made of. */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80" viewBox="0 0 120 80">
  <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#ff6600"/><stop offset="1" stop-color="#0066ff"/></linearGradient></defs>
  <rect x="4" y="4" width="112" height="72" rx="10" fill="url(#g)"/>
  <circle cx="40" cy="40" r="22" fill="#ffffff" fill-opacity="0.85" stroke="#222" stroke-width="3"/>
  <path d="M70 60 L95 20 L110 60 Z" fill="#1a7f37"/>
</svg>`

/** Mean absolute difference per sample of two same-sized RGBA renders. */
async function difference(a, b) {
  const [x, y] = await Promise.all([a, b].map((png) => sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })))
  assert.deepEqual([x.info.width, x.info.height], [y.info.width, y.info.height])
  let sum = 0
  for (let i = 0; i < x.data.length; i++) sum += Math.abs(x.data[i] - y.data[i])
  return sum / x.data.length
}

// Anti-aliasing differs between resvg and librsvg along edges only.
const PIXEL_BOUND = 2

test('SVG matches librsvg: size and pixels at 72 dpi, at a density, and resized', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const svg = Buffer.from(LOGO)
  const cases = [
    { name: 'as is', ours: { density: 72, width: undefined }, sharp: {} },
    { name: 'density 216', ours: { density: 216, width: undefined }, sharp: { density: 216 } },
    // sharp renders an enlarged SVG at the output size too (libvips svgload's scale).
    { name: 'enlarged to 480', ours: { density: 72, width: 480 }, sharp: {} },
    { name: 'reduced to 60', ours: { density: 72, width: 60 }, sharp: {} },
  ]
  for (const c of cases) {
    const { outputs, input } = await queue.process({ input: svg, density: c.ours.density, outputs: [{ format: 'png', width: c.ours.width }] })
    const expected = await sharp(svg, c.sharp).resize(c.ours.width).png().toBuffer()
    const meta = await sharp(expected).metadata()
    assert.deepEqual([outputs[0].width, outputs[0].height], [meta.width, meta.height], c.name)
    assert.equal(input.format, 'svg')
    assert.deepEqual(input.warnings, [])
    const mad = await difference(outputs[0].data, expected)
    assert.ok(mad < PIXEL_BOUND, `${c.name}: mean absolute difference ${mad.toFixed(2)} >= ${PIXEL_BOUND}`)
  }
})

test('an enlarged SVG is rendered at the output size, not upscaled from its 72 dpi raster', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const svg = Buffer.from(LOGO)
  const { outputs } = await queue.process({ input: svg, outputs: [{ format: 'png', width: 480 }] })
  const native = await sharp(svg, { density: 288 }).png().toBuffer()
  const upscaled = await sharp(await sharp(svg).png().toBuffer()).resize(480).png().toBuffer()
  const ours = await difference(outputs[0].data, native)
  const theirs = await difference(upscaled, native)
  assert.ok(ours < theirs / 2, `ours ${ours.toFixed(2)} vs upscaled ${theirs.toFixed(2)} from the 288 dpi render`)
})

test('an SVG referencing file:///etc/passwd and a local server reads and connects to nothing', async (t) => {
  let connections = 0
  const server = net.createServer((socket) => { connections++; socket.destroy() })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const port = server.address().port
  const hostile = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">
    <style>@import url("http://127.0.0.1:${port}/a.css"); @font-face { font-family: x; src: url(http://127.0.0.1:${port}/f.woff) }</style>
    <image href="file:///etc/passwd" width="20" height="20"/>
    <image xlink:href="http://127.0.0.1:${port}/i.png" width="20" height="20"/>
    <rect width="10" height="10" fill="#f00"/>
  </svg>`)
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const { outputs, input } = await queue.process({ input: hostile, outputs: [{ format: 'png' }] })
  await new Promise((resolve) => setTimeout(resolve, 200))
  assert.equal(connections, 0, 'no connection was opened')
  const warnings = input.warnings.join('\n')
  for (const expected of ['file:///etc/passwd', `127.0.0.1:${port}/i.png`, '@import', '@font-face']) {
    assert.ok(warnings.includes(expected), `warns of ${expected}: ${warnings}`)
  }
  const { data } = await sharp(outputs[0].data).raw().toBuffer({ resolveWithObject: true })
  assert.deepEqual([...data.subarray(0, 4)], [255, 0, 0, 255], 'the rest still renders')
})

test('an SVG entity bomb is CORRUPT_INPUT within a second, and the queue goes on', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  let dtd = "<!ENTITY l0 'lol'>"
  for (let i = 1; i < 10; i++) dtd += `<!ENTITY l${i} '${`&l${i - 1};`.repeat(10)}'>`
  const bomb = Buffer.from(`<!DOCTYPE svg [${dtd}]><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text>&l9;</text></svg>`)
  const started = Date.now()
  await rejectsWith(queue.process({ input: bomb, outputs: [{ format: 'png' }] }), 'CORRUPT_INPUT', /entit/)
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`)
  const { outputs } = await queue.process({ input: Buffer.from(LOGO), outputs: [{ format: 'webp', width: 60 }] })
  assert.equal(outputs[0].width, 60)
})

test('pixelpool-sharp reads SVG with its density, as sharp does', async () => {
  const { default: ppsharp } = await import('../packages/sharp/index.mjs')
  const svg = Buffer.from(LOGO)
  assert.equal(ppsharp.format.svg.input.buffer, true)
  const meta = await ppsharp(svg, { density: 144 }).metadata()
  const expected = await sharp(svg, { density: 144 }).metadata()
  assert.deepEqual([meta.format, meta.width, meta.height, meta.density], [expected.format, expected.width, expected.height, expected.density])
  const { info } = await ppsharp(svg, { density: 144 }).png().toBuffer({ resolveWithObject: true })
  assert.deepEqual([info.width, info.height], [expected.width, expected.height])
})

test("pixelpool-sharp's svg.stylesheet styles beneath the document's own rules, as librsvg's", async (t) => {
  const { default: ppsharp } = await import('../packages/sharp/index.mjs')
  const svg = Buffer.from(`<?xml version="1.0"?>
<!-- a comment naming <svg> first -->
<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg" data-note="a > b">
  <style>.own { fill: blue }</style>
  <circle cx="5" cy="5" r="4" fill="green"/>
  <rect class="own" width="2" height="2"/>
</svg>`)
  const stylesheet = 'circle { fill: red } rect { fill: yellow }'
  const pixels = async (s, options) => {
    const raw = await s(svg, options).raw().toBuffer()
    return { centre: [...raw.subarray(55 * 4, 56 * 4)], corner: [...raw.subarray(0, 4)] }
  }
  const [ours, theirs, unstyled] = [await pixels(ppsharp, { svg: { stylesheet } }), await pixels(sharp, { svg: { stylesheet } }), await pixels(ppsharp, {})]
  assert.deepEqual(ours, theirs)
  assert.notDeepEqual(unstyled.centre, ours.centre, 'the control: without it the circle is green')
  // The same from a file, which is read to be styled.
  const file = path.join(scratch(t), 'styled.svg')
  writeFileSync(file, svg)
  assert.deepEqual(await pixels((_, options) => ppsharp(file, options), { svg: { stylesheet } }), theirs)
})
