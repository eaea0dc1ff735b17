// pixelpool-sharp's surface as build tools call it: inputs, streams, clones decoded once,
// callbacks, files, `force: false`, `options`, metadata and stats against real sharp, and
// errors: bad parameters throw at once, unsupported operations throw UNSUPPORTED_OPERATION,
// bad images reject with a code while other pipelines finish.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createReadStream, createWriteStream, readFileSync, writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import sharp from 'sharp'
import { photo, scratch, root } from './helpers.mjs'
import { pixelpoolSharp as pps } from './sharp/oracle.mjs'

const jpeg = photo('budgie-canyon-wren.jpg')
const files = [jpeg, photo('exiforient-portrait-8.jpg'), photo('kodak-kodim05.png'), photo('golibwebp-cosmos.webp')]

test('require() and the ESM default import give the same function', async () => {
  const { default: imported } = await import(path.join(root, 'packages/sharp/index.mjs'))
  assert.equal(imported, pps)
  assert.equal(typeof pps, 'function')
})

test('statics that Next.js and the others call are there and do not throw', () => {
  assert.equal(typeof pps.cache(false), 'object')
  assert.equal(pps.simd(), true)
  pps.block({ operation: ['VipsForeignLoad'] })
  pps.unblock({ operation: ['VipsForeignLoad'] })
  assert.ok(pps.versions.sharp && pps.versions.pixelpool)
  assert.equal(pps.format.webp.output.buffer, true)
  assert.equal(pps.fit.cover, 'cover')
  assert.equal(pps.gravity.north, sharp.gravity.north)
  assert.equal(pps.strategy.attention, sharp.strategy.attention)
  assert.deepEqual(Object.keys(pps.kernel).sort(), Object.keys(sharp.kernel).sort())
  const before = pps.concurrency()
  assert.equal(pps.concurrency(1), 1)
  assert.equal(pps.concurrency(), 1)
  pps.concurrency(before)
  pps(jpeg).timeout({ seconds: 10 })
  pps(jpeg, { sequentialRead: true, failOnError: false })
})

test('metadata() matches sharp on JPEG, EXIF-rotated JPEG, PNG and WebP', async () => {
  const fields = ['format', 'width', 'height', 'space', 'channels', 'depth', 'density', 'chromaSubsampling',
    'isProgressive', 'hasProfile', 'hasAlpha', 'orientation', 'autoOrient', 'pages', 'size']
  for (const file of files) {
    const input = file.endsWith('.png') ? readFileSync(file) : file
    const [expected, actual] = await Promise.all([sharp(input).metadata(), pps(input).metadata()])
    for (const field of fields) assert.deepEqual(actual[field], expected[field], `${path.basename(file)} ${field}`)
    assert.equal(actual.exif?.length, expected.exif?.length, 'exif')
    assert.equal(actual.icc?.length, expected.icc?.length, 'icc')
  }
})

test('stats() matches sharp: channels, opacity and the dominant colour', async () => {
  for (const file of [jpeg, photo('kodak-kodim05.png')]) {
    const [expected, actual] = await Promise.all([sharp(file).stats(), pps(file).stats()])
    assert.equal(actual.isOpaque, expected.isOpaque)
    assert.deepEqual(actual.dominant, expected.dominant)
    assert.equal(actual.channels.length, expected.channels.length)
    actual.channels.forEach((c, i) => {
      const e = expected.channels[i]
      assert.deepEqual([c.min, c.max], [e.min, e.max])
      assert.ok(Math.abs(c.mean - e.mean) < 0.01 && Math.abs(c.stdev - e.stdev) < 0.01, `channel ${i}`)
    })
    assert.ok(Math.abs(actual.entropy - expected.entropy) < 0.2, `entropy ${actual.entropy} vs ${expected.entropy}`)
  }
})

test('clones asked for in the same turn are one job with one decode', async () => {
  const before = pps.pixelpoolStats()?.decoded ?? 0
  const base = pps(jpeg).rotate()
  const results = await Promise.all([
    base.clone().resize(200).webp().toBuffer({ resolveWithObject: true }),
    base.clone().resize(400).jpeg().toBuffer({ resolveWithObject: true }),
    base.clone().resize(300).avif().toBuffer({ resolveWithObject: true }),
  ])
  assert.deepEqual(results.map((r) => [r.info.format, r.info.width]), [['webp', 200], ['jpeg', 400], ['heif', 300]])
  assert.equal(pps.pixelpoolStats().decoded - before, 1)
  // Asked for in separate turns, they are separate jobs.
  await base.clone().resize(100).toBuffer()
  await base.clone().resize(120).toBuffer()
  assert.equal(pps.pixelpoolStats().decoded - before, 3)
})

test('a stream in and a stream out, as sharp is a Duplex', async (t) => {
  const dir = scratch(t)
  const out = path.join(dir, 'streamed.webp')
  await pipeline(createReadStream(jpeg), pps().resize(320).webp(), createWriteStream(out))
  const meta = await sharp(out).metadata()
  assert.deepEqual([meta.format, meta.width], ['webp', 320])
  // A clone of a stream-input pipeline reads the same bytes.
  const source = pps()
  const clone = source.clone().resize(50).png().toBuffer()
  createReadStream(jpeg).pipe(source)
  assert.equal((await sharp(await clone).metadata()).width, 50)
})

test('toFile writes the format its extension names and resolves to info; callbacks work', async (t) => {
  const dir = scratch(t)
  const info = await pps(jpeg).resize(160).toFile(path.join(dir, 'a.png'))
  assert.deepEqual([info.format, info.width, info.size > 0], ['png', 160, true])
  assert.equal((await sharp(path.join(dir, 'a.png')).metadata()).format, 'png')
  await new Promise((resolve, reject) => {
    pps(jpeg).resize(90).toBuffer((error, data, info) => {
      if (error) return reject(error)
      assert.ok(Buffer.isBuffer(data))
      assert.equal(info.width, 90)
      resolve()
    })
  })
  await new Promise((resolve, reject) => pps(jpeg).metadata((error, m) => (error ? reject(error) : resolve(assert.equal(m.width, 3840)))))
  // sharp rejects (or calls back) with its words, never throws.
  await assert.rejects(pps(jpeg).toFile(jpeg), { code: 'INVALID_OPTION', message: 'Cannot use same file for input and output' })
  await assert.rejects(pps(jpeg).toFile(''), { code: 'INVALID_OPTION', message: 'Missing output file path' })
})

test("format calls with force: false keep their options and do not switch (gatsby's way)", async () => {
  const pipeline = pps(jpeg).resize(100).jpeg({ quality: 70, progressive: true }).png({ compressionLevel: 9, force: false }).webp({ quality: 50, force: false })
  assert.equal(pipeline.options.formatOut, 'jpeg')
  assert.equal(pipeline.options.pngCompressionLevel, 9)
  assert.equal(pipeline.options.webpQuality, 50)
  assert.equal(pipeline.options.jpegProgressive, true)
  assert.equal((await pipeline.toBuffer({ resolveWithObject: true })).info.format, 'jpeg')
  pps(jpeg).gif({ force: false }).tiff({ force: false })
})

test("instance.options: width and height with -1 for unset, input file or buffer, settable fields", async () => {
  const buffer = readFileSync(jpeg)
  const fromBuffer = pps(buffer).resize(300)
  assert.deepEqual([fromBuffer.options.width, fromBuffer.options.height], [300, -1])
  assert.equal(fromBuffer.options.input.buffer, buffer)
  assert.equal(pps(jpeg).options.input.file, jpeg)
  const assigned = pps(jpeg).resize(64).jpeg()
  assigned.options.jpegQuality = 20
  const low = await assigned.toBuffer()
  const high = await pps(jpeg).resize(64).jpeg({ quality: 95 }).toBuffer()
  assert.ok(low.length < high.length, 'the assigned quality is used')
})

test('unsupported operations throw UNSUPPORTED_OPERATION at once, naming the method', () => {
  for (const [name, call] of [
    ['pipelineColourspace', (s) => s.pipelineColourspace('rgb16')],
  ]) {
    assert.throws(() => call(pps(jpeg)), (error) => {
      assert.equal(error.code, 'UNSUPPORTED_OPERATION')
      assert.ok(error instanceof Error && error.message.includes(name) && error.message.includes('not supported by pixelpool-sharp'), error.message)
      return true
    })
  }
})

test('all frames asked for (as Astro always asks): a still image is unchanged, an animation keeps its frames', async () => {
  const still = await pps(jpeg, { pages: -1 }).resize(30).toBuffer({ resolveWithObject: true })
  assert.equal(still.info.width, 30)
  const frame = (background) => sharp({ create: { width: 8, height: 8, channels: 4, background } }).png().toBuffer()
  const animation = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } }).gif().toBuffer()
  const out = await pps(animation, { animated: true }).resize(4).gif().toBuffer()
  assert.deepEqual((await sharp(out).metadata()).pages, 2)
  assert.equal((await sharp(await pps(animation, { pages: 2 }).gif().toBuffer()).metadata()).pages, 2)
})

test('loop and delay set an animation\'s timing, as sharp (Astro writes GIFs with webp({ loop: 0 }))', async () => {
  const frame = (background) => sharp({ create: { width: 8, height: 8, channels: 4, background } }).png().toBuffer()
  const animation = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } }).gif({ delay: [200, 300], loop: 1 }).toBuffer()
  const kept = await sharp(await pps(animation, { animated: true }).gif().toBuffer()).metadata()
  assert.deepEqual([kept.delay, kept.loop], [[200, 300], 1])
  for (const format of ['gif', 'webp']) {
    const timed = await sharp(await pps(animation, { animated: true })[format]({ delay: [70, 130], loop: 3 }).toBuffer()).metadata()
    assert.deepEqual([timed.delay, timed.loop], [[70, 130], 3], format)
    const forever = await sharp(await pps(animation, { animated: true })[format]({ loop: 0, delay: 50 }).toBuffer()).metadata()
    assert.deepEqual([forever.delay, forever.loop], [[50, 50], 0], format)
  }
  assert.throws(() => pps(animation).webp({ loop: -1 }), { code: 'INVALID_OPTION', message: /Expected integer between 0 and 65535 for loop/ })
  assert.throws(() => pps(animation).gif({ delay: [1.5] }), { code: 'INVALID_OPTION', message: /Expected integer or an array of integers between 0 and 65535 for delay/ })
})

test('invalid parameters throw at once, as sharp does', () => {
  assert.throws(() => pps(jpeg).resize(-1), { code: 'INVALID_OPTION' })
  assert.throws(() => pps(jpeg).blur(0.1), { code: 'INVALID_OPTION' })
  assert.throws(() => pps(jpeg).jpeg({ quality: 0 }), { code: 'INVALID_OPTION' })
  assert.throws(() => pps(jpeg, { failOn: 'sometimes' }), { code: 'INVALID_OPTION' })
  assert.throws(() => pps(42), { code: 'INVALID_OPTION' })
})

test('a bad image rejects with a coded PixelpoolError naming it; the other pipelines finish', async (t) => {
  const dir = scratch(t)
  const broken = path.join(dir, 'broken.jpg')
  writeFileSync(broken, readFileSync(jpeg).subarray(0, 400))
  const missing = path.join(dir, 'missing.jpg')
  const [bad, gone, good, outside] = await Promise.allSettled([
    pps(broken).resize(100).toBuffer(),
    pps(missing).resize(100).toBuffer(),
    pps(jpeg).resize(100).toBuffer(),
    pps(jpeg).extract({ left: 5000, top: 0, width: 10, height: 10 }).toBuffer(),
  ])
  assert.equal(bad.status, 'rejected')
  assert.equal(bad.reason.name, 'PixelpoolError')
  assert.ok(['CORRUPT_INPUT', 'UNSUPPORTED_FORMAT'].includes(bad.reason.code), bad.reason.code)
  assert.equal(bad.reason.input, broken)
  assert.ok(bad.reason.stack.includes('sharp-api.test.mjs'), 'the caller is on the stack')
  assert.equal(gone.reason.code, 'IO_ERROR')
  assert.equal(good.status, 'fulfilled')
  assert.equal(outside.reason.code, 'INVALID_OPTION')
  assert.ok(!existsSync(path.join(dir, 'never.jpg')))
  // The shared queue still works.
  assert.equal((await pps(jpeg).resize(10).toBuffer({ resolveWithObject: true })).info.width, 10)
})

test('a process that loads pixelpool-sharp and uses it still exits on its own', async () => {
  const { execFileSync } = await import('node:child_process')
  const script = `const s = require(${JSON.stringify(path.join(root, 'packages/sharp'))}); s(${JSON.stringify(jpeg)}).resize(10).toBuffer().then(() => console.log('done'))`
  const output = execFileSync(process.execPath, ['-e', script], { timeout: 20000 }).toString()
  assert.equal(output.trim(), 'done')
})

test("the shared queue takes its options from PIXELPOOL_* and the site's package.json", async (t) => {
  const { execFileSync } = await import('node:child_process')
  const { readdirSync } = await import('node:fs')
  const dir = scratch(t)
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'site', pixelpool: { cacheDir: 'from-package' } }))
  const script = `const s = require(${JSON.stringify(path.join(root, 'packages/sharp'))}); s(${JSON.stringify(jpeg)}).resize(12).toBuffer().then(() => console.log(JSON.stringify(s.pixelpoolStats())))`
  execFileSync(process.execPath, ['-e', script], { cwd: dir, env: { ...process.env, PIXELPOOL_CONCURRENCY: '1' } })
  assert.ok(readdirSync(path.join(dir, 'from-package'), { recursive: true }).length > 0, 'the package.json cacheDir was used')
  const env = { ...process.env, PIXELPOOL_CACHE_DIR: path.join(dir, 'from-env') }
  const stats = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, env }).toString())
  assert.equal(stats.decoded, 1)
  assert.ok(readdirSync(path.join(dir, 'from-env'), { recursive: true }).length > 0, 'the environment wins')
  const concurrency = execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(path.join(root, 'packages/sharp'))}).concurrency())`], { cwd: dir, env: { ...process.env, PIXELPOOL_CONCURRENCY: '3' } })
  assert.equal(concurrency.toString().trim(), '3')
})

test("timeout({ seconds }) rejects in sharp's words, and an SVG's drawing stops with it", async () => {
  // 4000x4000 with 40 blurred squares of 800: seconds of drawing, just within the budget.
  const squares = Array.from({ length: 40 }, (_, i) =>
    `<rect x="${(i * 37) % 3200}" y="${(i * 53) % 3200}" width="800" height="800" fill="#${(i % 9) * 111}" filter="url(#b)"/>`).join('')
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="4000"><filter id="b"><feGaussianBlur stdDeviation="5"/></filter>${squares}</svg>`)
  await assert.rejects(pps(svg).timeout({ seconds: 1 }).png().toBuffer(), /timeout: [0-9]+% complete/)
  // The shared queue still works.
  assert.equal((await pps(jpeg).resize(10).toBuffer({ resolveWithObject: true })).info.width, 10)
})

test("an SVG input asked for the input's format is written as sharp writes it: PNG", async () => {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#f00"/></svg>')
  const [expected, actual] = await Promise.all([sharp, pps].map((s) => s(svg).resize(10).toBuffer({ resolveWithObject: true })))
  assert.equal(actual.info.format, expected.info.format)
  assert.equal(actual.info.format, 'png')
})

test('ensureAlpha(0.5) gives the alpha sharp gives (127: libvips casts 127.5 down)', async () => {
  const create = { create: { width: 2, height: 2, channels: 3, background: '#f00' } }
  const [expected, actual] = await Promise.all([sharp, pps].map((s) => s(create).ensureAlpha(0.5).raw().toBuffer()))
  assert.deepEqual([...actual], [...expected])
  assert.equal(actual[3], 127)
})

test("raw input's checks and raw output's info are sharp's", async () => {
  assert.throws(() => pps({ raw: { width: 100000001, height: 1, channels: 4 } }), /raw\.width/)
  assert.throws(() => pps({ raw: { width: 1, height: 1, channels: 4, premultiplied: 'zoinks' } }), /Expected boolean for raw\.premultiplied but received zoinks of type string/)
  assert.throws(() => pps({ raw: { width: 8, height: 8, channels: 4, pageHeight: 3 } }), /Expected raw\.height 8 to be a multiple of raw\.pageHeight 3/)
  // Complex samples are not done, so refused rather than ignored.
  assert.throws(() => pps().raw({ depth: 'complex' }), (error) => error.code === 'UNSUPPORTED_OPERATION')
  assert.throws(() => pps().raw({ depth: 'nibble' }), /Expected one of: char, uchar/)
  const pixels = Buffer.from([1, 2, 3])
  const [expected, actual] = await Promise.all([sharp, pps].map((s) => s(pixels, { raw: { width: 1, height: 1, channels: 3 } }).raw().toBuffer({ resolveWithObject: true })))
  assert.deepEqual(Object.keys(actual.info).sort(), Object.keys(expected.info).sort())
  assert.equal(actual.info.depth, 'uchar')
})

test("sharp.queue's change events, clones' listeners, limits and colours as sharp has them", async () => {
  // Each pipeline: one event when asked for, one when its job starts.
  for (const s of [sharp, pps]) {
    const lengths = []
    const listener = (length) => lengths.push(length)
    s.queue.on('change', listener)
    await s(jpeg).resize(32).toBuffer()
    await new Promise((resolve) => process.nextTick(resolve))
    s.queue.removeListener('change', listener)
    assert.deepEqual(lengths.length, 2, `${s === pps ? 'pixelpool-sharp' : 'sharp'}: ${lengths}`)
  }
  for (const s of [sharp, pps]) {
    const streamed = s()
    const streamedClone = streamed.clone()
    const fromFile = s(jpeg).clone()
    assert.deepEqual([streamed.listenerCount('finish'), streamedClone.listenerCount('finish'), fromFile.listenerCount('finish')], [1, 0, 0])
  }
  // The same Buffer read with another limit is its own job: the limit applies.
  const bytes = readFileSync(jpeg)
  const { width, height } = await sharp(bytes).metadata()
  const [whole, limited] = await Promise.allSettled([pps(bytes).toBuffer(), pps(bytes, { limitInputPixels: width * height - 1 }).toBuffer()])
  assert.equal(whole.status, 'fulfilled')
  assert.equal(limited.reason?.code, 'INPUT_TOO_LARGE')
  await assert.rejects(pps(jpeg, { limitInputChannels: 2 }).toBuffer(), { message: 'Input image exceeds channel limit' })
  assert.throws(() => pps({ limitInputPixels: Number.MAX_SAFE_INTEGER + 1 }), { code: 'INVALID_OPTION' })
  assert.throws(() => pps(new Error()), { code: 'INVALID_OPTION' })
  for (const [colour, message] of [['00ff00', /Unable to parse color from string: 00ff00/], [255, /Expected object or string for background/], [{ r: 'fail', g: 0, b: 0 }, /Expected number for background\.red but received NaN/]]) {
    assert.throws(() => pps().tint(colour), message)
    assert.throws(() => sharp().tint(colour), message)
  }
  assert.equal(pps({ animated: true }).options.input.pages, -1)
})
