// Animated GIF and WebP in and out, and still GIF output, against sharp as the oracle:
// same frame count, delays, loop count and sizes; pixels within a stated bound.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { createQueue } from '../index.mjs'
import pixelpoolSharp from '../packages/sharp/index.js'
import { photo } from './helpers.mjs'

const DELAYS = [100, 200, 300]

/** Three 48x32 frames with moving shapes, as sharp writes them. */
async function animation(format) {
  const frame = (i) => sharp({ create: { width: 48, height: 32, channels: 4, background: ['#d33', '#3b3', '#36d'][i] } })
    .composite([{ input: Buffer.from(`<svg width="48" height="32"><circle cx="${10 + i * 14}" cy="16" r="8" fill="#fff"/></svg>`) }])
    .png().toBuffer()
  const frames = await Promise.all([0, 1, 2].map(frame))
  return sharp(frames, { join: { animated: true } })[format]({ delay: DELAYS, loop: 2 }).toBuffer()
}

/** Mean absolute difference per sample over every frame of two animations of one size. */
async function difference(a, b) {
  const [x, y] = await Promise.all([a, b].map((bytes) => sharp(bytes, { animated: true }).ensureAlpha().raw().toBuffer({ resolveWithObject: true })))
  assert.deepEqual([x.info.width, x.info.height], [y.info.width, y.info.height])
  let sum = 0
  for (let i = 0; i < x.data.length; i++) sum += Math.abs(x.data[i] - y.data[i])
  return sum / x.data.length
}

// Palettes (GIF) and lossy coding (WebP q80) differ between the encoders.
const BOUND = { gif: 6, webp: 4 }

test('animated GIF and WebP: every frame resized, delays and loop kept, as sharp', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  for (const from of ['gif', 'webp']) {
    const input = await animation(from)
    for (const to of ['gif', 'webp']) {
      const { outputs, input: info } = await queue.process({ input, animated: true, outputs: [{ format: to, width: 24 }] })
      assert.equal(info.pages, 3)
      const expected = await sharp(input, { animated: true }).resize(24)[to]().toBuffer()
      const [ours, theirs] = await Promise.all([outputs[0].data, expected].map((b) => sharp(b).metadata()))
      for (const key of ['format', 'width', 'pages', 'pageHeight', 'delay', 'loop']) {
        assert.deepEqual(ours[key], theirs[key], `${from} -> ${to}: ${key}`)
      }
      assert.deepEqual(ours.delay, DELAYS)
      const mad = await difference(outputs[0].data, expected)
      assert.ok(mad < BOUND[to], `${from} -> ${to}: mean absolute difference ${mad.toFixed(2)}`)
    }
  }
})

test('without animated, the first frame only; formats without animation get the first frame', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const input = await animation('gif')
  const still = await queue.process({ input, outputs: [{ format: 'gif' }] })
  assert.equal(still.input.pages, 1)
  assert.equal((await sharp(still.outputs[0].data).metadata()).pages, 1)
  const png = await queue.process({ input, animated: true, outputs: [{ format: 'png' }, { format: 'webp' }] })
  const first = await sharp(input).png().toBuffer()
  assert.ok(await difference(png.outputs[0].data, first) < 2)
})

test('still GIF output of a photo: sharp\'s size, close pixels', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const input = photo('kodak-kodim23.png')
  const { outputs } = await queue.process({ input, outputs: [{ format: 'gif', width: 256 }] })
  const expected = await sharp(input).resize(256).gif().toBuffer()
  const meta = await sharp(outputs[0].data).metadata()
  assert.deepEqual([meta.format, meta.width, meta.height], ['gif', 256, (await sharp(expected).metadata()).height])
  const reference = await sharp(input).resize(256).png().toBuffer()
  const [ours, theirs] = [await difference(outputs[0].data, reference), await difference(expected, reference)]
  // Both quantise to 256 colours with dithering: within 1.5x of sharp's error.
  assert.ok(ours < theirs * 1.5, `ours ${ours.toFixed(2)} vs sharp ${theirs.toFixed(2)} from the true colours`)
})

test('the pixel limit counts every frame of an animation', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const input = await animation('webp')
  await assert.rejects(queue.process({ input, animated: true, limitInputPixels: 48 * 32 * 2, outputs: [{ format: 'webp' }] }), { code: 'INPUT_TOO_LARGE' })
  const { outputs } = await queue.process({ input, limitInputPixels: 48 * 32 * 2, outputs: [{ format: 'webp' }] })
  assert.equal(outputs[0].width, 48)
})

test("page and pages choose a run of frames, as sharp's do", async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  for (const format of ['gif', 'webp']) {
    const input = await animation(format)
    for (const options of [{ pages: 2 }, { page: 1, pages: 2 }, { page: 1, animated: true }, { page: 2, pages: -1 }]) {
      const expected = await sharp(input, options).webp({ lossless: true }).toBuffer()
      const ours = await pixelpoolSharp(input, options).webp({ lossless: true }).toBuffer()
      const [a, b] = await Promise.all([ours, expected].map((bytes) => sharp(bytes).metadata()))
      assert.deepEqual([a.pages, a.pageHeight], [b.pages, b.pageHeight], `${format} ${JSON.stringify(options)}`)
      const mad = await difference(ours, expected)
      assert.ok(mad < 1, `${format} ${JSON.stringify(options)}: the same frames (mean difference ${mad.toFixed(2)})`)
    }
    // What the queue's own job takes: `pages` frames from `page`; more than follow it is refused.
    const { input: info } = await queue.process({ input, animated: true, page: 1, pages: 2, outputs: [{ format: 'gif' }] })
    assert.equal(info.pages, 2)
    await assert.rejects(queue.process({ input, animated: true, page: 2, pages: 2, outputs: [{ format: 'gif' }] }), { code: 'INVALID_OPTION' })
    for (const options of [{ pages: 4 }, { page: 3, animated: true }, { pages: 0 }]) {
      await assert.rejects(pixelpoolSharp(input, options).toBuffer(), { message: 'Input buffer has corrupt header: bad page number' })
      await assert.rejects(sharp(input, options).toBuffer(), /bad page number/)
    }
  }
})
