// pixelpool-sharp's output sizes against real sharp's, for every corpus photo: by width from
// 16 to 4000 in steps of 7 where the decoder may shrink on load (up to half the photo's
// width; above it every 13th of those widths, as a 4000-wide raw output costs 30-50 MB a
// side and the sizes there follow from one rounding), and where contain's padding falls (which pixels are background)
// at three aspect ratios. sharp's sizes come
// from the header alone (format, size, EXIF orientation) through its shrink-on-load and
// rounding, so each photo is stood in for by a flat image of the same format, size and
// orientation (made by sharp, quick to decode); photos with the same header share one.
// pixelpool-sharp runs a photo's sizes as one job with many outputs (clones asked for in the
// same tick), so this also checks that sharing one decode leaves each output sharp's size.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import sharp from 'sharp'
import pixelpoolSharp from '../packages/sharp/index.js'
import { corpusDir, photo } from './helpers.mjs'

const allWidths = Array.from({ length: Math.floor((4000 - 16) / 7) + 1 }, (_, i) => 16 + 7 * i)
const widthsFor = ({ width }) => allWidths.filter((w, i) => w <= width / 2 || i % 13 === 0)
const boxes = [1, 16 / 9, 9 / 16].flatMap((aspect) =>
  [41, 150, 333, 801].map((width) => ({ width, height: Math.round(width / aspect) })),
)

/** One flat stand-in per distinct header among the corpus photos. */
async function standIns() {
  const byHeader = new Map()
  for (const name of readdirSync(corpusDir).sort()) {
    const { format, width, height, orientation } = await sharp(photo(name)).metadata()
    const key = `${format} ${width}x${height} orientation ${orientation ?? 1}`
    if (!byHeader.has(key)) byHeader.set(key, { names: [], format, width, height, orientation })
    byHeader.get(key).names.push(name)
  }
  for (const header of byHeader.values()) {
    let image = sharp({ create: { width: header.width, height: header.height, channels: 3, background: '#808080' } })
    if (header.orientation) image = image.withMetadata({ orientation: header.orientation })
    header.bytes = await image.toFormat(header.format).toBuffer()
  }
  return byHeader
}

/** `width x height` of each pipeline's output, all asked for in one tick. */
async function sizes(module, bytes, requests, options) {
  const base = module(bytes, options)
  const infos = await Promise.all(
    requests.map((resize) => base.clone().resize(resize).raw().toBuffer({ resolveWithObject: true }).then(({ info }) => info)),
  )
  return infos.map(({ width, height }) => `${width}x${height}`)
}

const RED = { r: 255, g: 0, b: 0 }
/** Each output's size and the rows and columns its red padding fills. */
async function padding(module, bytes, requests) {
  const base = module(bytes)
  return Promise.all(
    requests.map(async (resize) => {
      const { data, info } = await base.clone().resize({ ...resize, fit: 'contain', background: RED }).raw().toBuffer({ resolveWithObject: true })
      const red = (x, y) => data[(y * info.width + x) * 3] === 255 && data[(y * info.width + x) * 3 + 1] === 0
      const rows = Array.from({ length: info.height }, (_, y) => (red(info.width >> 1, y) ? 'p' : '.')).join('')
      const columns = Array.from({ length: info.width }, (_, x) => (red(x, info.height >> 1) ? 'p' : '.')).join('')
      return `${info.width}x${info.height} rows ${rows} columns ${columns}`
    }),
  )
}

async function assertSame(measure, header, requests, describe, options) {
  // Side by side: sharp on libuv's threads, pixelpool on its own pool.
  const [expected, actual] = await Promise.all([sharp, pixelpoolSharp].map((module) => measure(module, header.bytes, requests, options)))
  const differing = requests
    .map((request, i) => ({ request, sharp: expected[i], pixelpool: actual[i] }))
    .filter((row) => row.sharp !== row.pixelpool)
  assert.deepEqual(differing, [], `${describe}: ${header.names.join(', ')}`)
}

test('output sizes are sharp\'s for every corpus photo', async (t) => {
  for (const [key, header] of await standIns()) {
    await t.test(key, async () => {
      const widths = widthsFor(header)
      await assertSame(sizes, header, widths.map((width) => ({ width })), 'by width')
      if (header.format !== 'png') {
        // Only JPEG and WebP shrink on load.
        // Every third width (steps of 21): sharp decodes larger here, and the test's time goes there.
        const some = widths.filter((_, i) => i % 3 === 0)
        await assertSame(sizes, header, some.map((width) => ({ width, fastShrinkOnLoad: false })), 'by width, fastShrinkOnLoad false')
      }
      if (header.orientation > 1) {
        await assertSame(sizes, header, widths.map((width) => ({ width })), 'by width, upright', { autoOrient: true })
      }
      for (const position of ['centre', 'southwest']) {
        await assertSame(padding, header, boxes.map((box) => ({ ...box, position })), `contain ${position}`)
      }
    })
  }
})
