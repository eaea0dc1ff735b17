import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { createQueue } from '../index.mjs'
import { photo, scratch, assertImage, rejectsWith } from './helpers.mjs'

test('one job writes files and returns buffers, each decodable', async (t) => {
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 2 })
  const result = await queue.process({
    input: photo('budgie-canyon-wren.jpg'),
    outputs: [
      { path: path.join(dir, 'nested/deeper/wren-800.webp'), width: 800, quality: 80 },
      { path: path.join(dir, 'wren.jpg'), width: 400, height: 300, fit: 'cover', position: 'north' },
      { width: 200, format: 'png' },
    ],
  })
  assert.deepEqual(result.input, { format: 'jpeg', width: 3840, height: 2160, orientation: 1, hasAlpha: false, pages: 1, warnings: [] })
  assert.equal(result.ranOn, 'local')
  assert.equal(result.cached, false)
  assert.ok(result.ms > 0)
  const [webp, jpeg, png] = result.outputs
  assert.deepEqual({ ...webp, size: undefined }, { path: path.join(dir, 'nested/deeper/wren-800.webp'), format: 'webp', width: 800, height: 450, size: undefined })
  assert.equal(webp.size, statSync(webp.path).size)
  await assertImage(webp.path, { format: 'webp', width: 800, height: 450 })
  await assertImage(jpeg.path, { format: 'jpeg', width: 400, height: 300 })
  assert.ok(Buffer.isBuffer(png.data) && png.path === undefined)
  assert.equal(png.data.length, png.size)
  await assertImage(png.data, { format: 'png', width: 200, height: 113 })
  await queue.close()
})

test('inputs may be a Buffer or a plain Uint8Array', async () => {
  const queue = createQueue()
  const bytes = readFileSync(photo('kodak-kodim05.png'))
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (const input of [bytes, view]) {
    const { outputs } = await queue.process({ input, outputs: [{ width: 100, format: 'webp' }] })
    await assertImage(outputs[0].data, { format: 'webp', width: 100, height: 67 })
  }
  await queue.close()
})

test('EXIF orientation is applied, and every format reads', async () => {
  const queue = createQueue()
  const cases = [
    ['exiforient-landscape-6.jpg', 300, 200],
    ['exiforient-portrait-8.jpg', 200, 300],
    ['golibwebp-kinkaku.webp', 300, 225],
    ['kodak-kodim22.png', 300, 200],
    ['budgie-sunset-beach.jpg', 300, 200],
  ]
  await Promise.all(
    cases.map(async ([name, width, height]) => {
      const { outputs } = await queue.process({ input: photo(name), outputs: [{ width, format: 'jpeg' }] })
      await assertImage(outputs[0].data, { format: 'jpeg', width, height })
    }),
  )
  await queue.close()
})

test('format follows the path extension when not given', async (t) => {
  const dir = scratch(t)
  const queue = createQueue()
  const { outputs } = await queue.process({
    input: photo('kodak-kodim01.png'),
    outputs: ['a.jpg', 'b.jpeg', 'c.png', 'd.webp'].map((name) => ({ path: path.join(dir, name), width: 64 })),
  })
  assert.deepEqual(outputs.map((o) => o.format), ['jpeg', 'jpeg', 'png', 'webp'])
  await queue.close()
})

test('keepMetadata keeps EXIF and the ICC profile; the default strips them', async () => {
  const { default: sharp } = await import('sharp')
  const queue = createQueue()
  const { outputs } = await queue.process({
    input: photo('budgie-canyon-wren.jpg'),
    outputs: [{ width: 300, format: 'jpeg', keepMetadata: true }, { width: 300, format: 'jpeg' }],
  })
  const kept = await sharp(outputs[0].data).metadata()
  const stripped = await sharp(outputs[1].data).metadata()
  assert.ok(kept.exif && kept.icc, 'kept')
  assert.equal(stripped.exif, undefined)
  assert.equal(stripped.icc, undefined)
  await queue.close()
})

test('stats count what happened; drain waits for everything', async () => {
  const queue = createQueue({ concurrency: 1 })
  const jobs = ['kodak-kodim01.png', 'kodak-kodim03.png', 'missing.png'].map((name) =>
    queue.process({ input: photo(name), outputs: [{ width: 50, format: 'webp' }] }).catch((e) => e.code),
  )
  const during = queue.stats()
  assert.equal(during.queued + during.running, 3)
  await queue.drain()
  const after = queue.stats()
  assert.deepEqual(
    { queued: after.queued, running: after.running, completed: after.completed, failed: after.failed },
    { queued: 0, running: 0, completed: 2, failed: 1 },
  )
  assert.equal((await Promise.all(jobs))[2], 'IO_ERROR')
  await queue.close()
})

test('close() lets accepted jobs finish, then refuses new ones with CLOSED', async () => {
  const queue = createQueue({ concurrency: 1 })
  const accepted = queue.process({ input: photo('kodak-kodim08.png'), outputs: [{ width: 80, format: 'png' }] })
  const closing = queue.close()
  await rejectsWith(queue.process({ input: photo('kodak-kodim08.png'), outputs: [{ width: 80, format: 'png' }] }), 'CLOSED')
  assert.equal((await accepted).outputs[0].width, 80)
  await closing
  await queue.close()
})

test('maxQueue bounds the pending jobs with QUEUE_FULL', async () => {
  const queue = createQueue({ concurrency: 1, maxQueue: 2 })
  const job = () => queue.process({ input: photo('budgie-sunset-beach.jpg'), outputs: [{ width: 3000, format: 'jpeg' }] })
  const first = job()
  while (queue.stats().running === 0) await new Promise((resolve) => setTimeout(resolve, 1))
  const queued = [job(), job()]
  await rejectsWith(job(), 'QUEUE_FULL', /maxQueue \(2\)/)
  await Promise.all([first, ...queued])
  await queue.close()
})

test('CommonJS require works too', () => {
  const require = createRequire(import.meta.url)
  const pixelpool = require('../index.js')
  assert.equal(typeof pixelpool.createQueue, 'function')
  assert.ok(pixelpool.errorCodes.includes('QUEUE_FULL'))
})

test('photos tagged Display P3 or Adobe RGB come out in sRGB, matching sharp', async () => {
  const { default: sharp } = await import('sharp')
  const queue = createQueue()
  const means = async (image) => (await sharp(image).stats()).channels.slice(0, 3).map((c) => c.mean)
  for (const name of ['budgie-dragonfly-on-lavender.jpg', 'budgie-canyon-wren.jpg']) {
    const input = photo(name)
    const { outputs } = await queue.process({ input, outputs: [{ width: 300, format: 'png' }] })
    const ours = await means(outputs[0].data)
    const converted = await means(await sharp(input).resize(300).png().toBuffer())
    const unconverted = await means(await sharp(input).resize(300).keepIccProfile().png().toBuffer())
    const off = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])))
    assert.ok(off(unconverted, converted) > 1.5, `${name}: the profile matters (${off(unconverted, converted)})`)
    assert.ok(off(ours, converted) < 1, `${name}: channel means ${ours} vs sharp's ${converted}`)
  }
  await queue.close()
})

test('AVIF output, palette PNGs, trim and duotone', async () => {
  const { default: sharp } = await import('sharp')
  const queue = createQueue()
  const input = photo('kodak-kodim23.png')
  const { outputs } = await queue.process({
    input,
    outputs: [
      { format: 'avif', width: 200 },
      { format: 'avif', width: 200, quality: 80, effort: 2 },
      { format: 'avif', width: 200, chromaSubsampling: '4:2:0' },
      { format: 'png', width: 200 },
      { format: 'png', width: 200, palette: true },
      { format: 'jpeg', width: 200, duotone: { highlight: '#ffffff', shadow: '#0000ff' } },
    ],
  })
  const [avif, avifFine, avifHalfChroma, png, palette, duotone] = outputs
  await assertImage(avif.data, { format: 'heif', width: 200, height: 133 })
  assert.ok(avifFine.size > avif.size, `quality 80 (${avifFine.size} B) is bigger than the default 50 (${avif.size} B)`)
  await assertImage(avifHalfChroma.data, { format: 'heif', width: 200, height: 133 })
  assert.ok(avifHalfChroma.size < avif.size, `4:2:0 (${avifHalfChroma.size} B) is smaller than the default 4:4:4 (${avif.size} B)`)
  const paletteMeta = await assertImage(palette.data, { format: 'png', width: 200 })
  assert.equal(paletteMeta.isPalette, true)
  assert.equal((await sharp(png.data).metadata()).isPalette, false)
  assert.ok(palette.size < png.size / 2, `palette ${palette.size} B vs ${png.size} B`)
  const [red, green, blue] = (await sharp(duotone.data).stats()).channels.map((c) => c.mean)
  assert.ok(Math.abs(red - green) < 3 && blue > red + 20, `white to blue duotone, means ${red} ${green} ${blue}`)

  const framed = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } })
    .composite([{ input: await sharp(input).resize(100, 50, { fit: 'fill' }).toBuffer(), left: 40, top: 60 }])
    .png()
    .toBuffer()
  const trimmed = await queue.process({ input: framed, outputs: [{ format: 'png', trim: true }, { format: 'png', trim: true, width: 50 }] })
  assert.deepEqual(trimmed.outputs.map((o) => [o.width, o.height]), [[100, 50], [50, 25]])
  await queue.close()
})
