// pixelpool-sharp's encoder and input options against real sharp's: every bad value is
// refused with sharp's own message, and the WebP tuning options change the output the way
// they change sharp's (libwebp's settings, set as libvips sets them).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import pixelpoolSharp from '../packages/sharp/index.js'
import { photo } from './helpers.mjs'

const landscape = photo('budgie-roman-colosseum.jpg')

/** [what is called, a bad value]: both sides must throw the same words. */
const refusals = [
  ...['mozjpeg', 'trellisQuantisation', 'overshootDeringing', 'optimiseScans', 'optimiseCoding', 'progressive'].map((o) => [(s) => s().jpeg({ [o]: 'yes' }), o]),
  [(s) => s().jpeg({ quantisationTable: 9 }), 'quantisationTable'],
  [(s) => s().png({ colours: 1 }), 'colours'],
  [(s) => s().png({ dither: 2 }), 'dither'],
  [(s) => s().png({ adaptiveFiltering: 1 }), 'adaptiveFiltering'],
  ...['smartSubsample', 'smartDeblock', 'minSize', 'mixed', 'exact', 'nearLossless', 'lossless'].map((o) => [(s) => s().webp({ [o]: 1 }), o]),
  [(s) => s().webp({ preset: 'painting' }), 'preset'],
  ...['reuse', 'progressive', 'keepDuplicateFrames'].map((o) => [(s) => s().gif({ [o]: 'no' }), o]),
  [(s) => s().gif({ interFrameMaxError: 33 }), 'interFrameMaxError'],
  [(s) => s().gif({ interPaletteMaxError: -1 }), 'interPaletteMaxError'],
  ...['tile', 'pyramid', 'miniswhite', 'bigtiff'].map((o) => [(s) => s().tiff({ [o]: 'true' }), o]),
  [(s) => s().tiff({ bitdepth: 3 }), 'bitdepth'],
  [(s) => s().tiff({ tileWidth: 0 }), 'tileWidth'],
  [(s) => s().tiff({ xres: '1000.0' }), 'xres'],
  [(s) => s().tiff({ compression: 'zip' }), 'compression'],
  [(s) => s().tiff({ predictor: 'a' }), 'predictor'],
  [(s) => s().tiff({ resolutionUnit: 'none' }), 'resolutionUnit'],
  ...['sequentialRead', 'ignoreIcc', 'unlimited', 'animated', 'autoOrient'].map((o) => [(s) => s({ [o]: 'fail' }), o]),
  [(s) => s({ pages: '1' }), 'pages'],
  [(s) => s({ tiff: { subifd: 1.2 } }), 'tiff.subifd'],
  [(s) => s({ openSlide: { level: -1 } }), 'openSlide.level'],
  [(s) => s({ limitInputChannels: -1 }), 'limitInputChannels'],
  [(s) => s(undefined, {}), 'input with options'],
  [(s) => s(null), 'null input'],
  [(s) => s(Buffer.alloc(0)), 'empty buffer'],
  [(s) => s(new ArrayBuffer(0)), 'empty ArrayBuffer'],
  [(s) => s({ create: { width: 1, height: 1, channels: 3, background: 'red' } }, 'zoinks'), 'non-object options'],
]

const messageOf = (call) => {
  try {
    call()
  } catch (error) {
    return error.message
  }
  return 'no error'
}

for (const [call, name] of refusals) {
  test(`a bad ${name} is refused in sharp's words`, () => {
    const expected = messageOf(() => call(sharp))
    assert.notEqual(expected, 'no error', 'sharp refuses it')
    assert.equal(messageOf(() => call(pixelpoolSharp)), expected)
  })
}

/** Output sizes of both sides for a pipeline with and without one option. */
async function effect(make, options) {
  const sizes = async (s) => {
    const without = await make(s).webp(options.without).toBuffer()
    const withIt = await make(s).webp(options.with).toBuffer()
    return Math.sign(withIt.length - without.length)
  }
  return { sharp: await sizes(sharp), ours: await sizes(pixelpoolSharp) }
}

/** Noise under half-transparent, half-invisible pixels: what `exact` keeps. */
const hiddenNoise = (s) => {
  const pixels = Buffer.alloc(64 * 64 * 4)
  for (let i = 0; i < pixels.length; i++) pixels[i] = i % 4 === 3 ? (i < pixels.length / 2 ? 0 : 255) : (i * 2654435761) % 251
  return s(pixels, { raw: { width: 64, height: 64, channels: 4 } })
}

for (const [name, make, options] of [
  ['smartSubsample', (s) => s(landscape).resize(320, 240), { without: { smartSubsample: false }, with: { smartSubsample: true } }],
  ['preset', (s) => s(landscape).resize(320, 240), { without: {}, with: { preset: 'text' } }],
  ['nearLossless', (s) => s(landscape).resize(320, 240), { without: { lossless: true }, with: { nearLossless: true, quality: 50 } }],
  ['exact', hiddenNoise, { without: { lossless: true }, with: { lossless: true, exact: true } }],
]) {
  test(`webp ${name} changes the size the way it changes sharp's`, async () => {
    const { sharp: theirs, ours } = await effect(make, options)
    assert.notEqual(theirs, 0, "the option changes sharp's output")
    assert.equal(ours, theirs)
  })
}

test("jpeg optimiseCoding: false writes standard Huffman tables, larger as sharp's", async () => {
  const sizes = async (s) => Promise.all([{}, { optimiseCoding: false }, { optimizeCoding: false }]
    .map(async (options) => (await s(landscape).resize(320, 240).jpeg(options).toBuffer()).length))
  const [theirs, ours] = [await sizes(sharp), await sizes(pixelpoolSharp)]
  assert.ok(theirs[1] > theirs[0], "sharp's control: standard tables are larger")
  assert.ok(ours[1] > ours[0] && ours[2] === ours[1], `ours ${ours}`)
  // The same tables for the same scans: the growth matches sharp's within 1%.
  assert.ok(Math.abs((ours[1] - ours[0]) - (theirs[1] - theirs[0])) < theirs[0] / 100, `ours ${ours} vs sharp ${theirs}`)
})

const animatedGif = new URL('../../shared/sharp-suite/test/fixtures/rotating-squares.gif', import.meta.url).pathname

/** Every frame's RGBA samples, stacked. */
const framesOf = async (bytes) => sharp(bytes, { animated: true }).ensureAlpha().raw().toBuffer()
const meanOf = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length

test("gif progressive writes interlaced rows: the same pixels in other bytes, as sharp's", async () => {
  for (const s of [sharp, pixelpoolSharp]) {
    const [plain, progressive] = await Promise.all([false, true].map((p) => s(landscape).resize(160).gif({ progressive: p }).toBuffer()))
    assert.notDeepEqual(plain, progressive)
    assert.deepEqual(await framesOf(progressive), await framesOf(plain))
  }
})

test("gif interFrameMaxError leaves near pixels showing: smaller animations, as sharp's", async () => {
  const source = await framesOf(animatedGif)
  const results = {}
  for (const [name, s] of [['sharp', sharp], ['ours', pixelpoolSharp]]) {
    const [exact, loose] = await Promise.all([0, 10].map((e) => s(animatedGif, { animated: true }).gif({ interFrameMaxError: e }).toBuffer()))
    assert.ok(loose.length < exact.length, `${name}: ${loose.length} < ${exact.length}`)
    results[name] = meanOf(await framesOf(loose), source)
  }
  // The pixels left showing differ a little from the frames: no more than sharp's do, with room.
  assert.ok(results.ours < results.sharp * 1.5 + 0.5, `ours ${results.ours.toFixed(2)} vs sharp ${results.sharp.toFixed(2)}`)
})

test("png colours set the bit depth as sharp's: grey in its top bits, colour as a palette", async () => {
  const grey = (s) => s(landscape).resize(64).toColourspace('b-w')
  const cases = [
    [(s) => grey(s).png({ colours: 2, palette: false }), 'grey, 2 colours'],
    [(s) => grey(s).png({ colours: 10, palette: false }), 'grey, 10 colours'],
    [(s) => s(landscape).resize(64).png({ colours: 16 }), 'palette of 16'],
    [(s) => s(landscape).resize(64).png({ colours: 3, palette: false }), 'colour below 8 bits'],
  ]
  for (const [make, name] of cases) {
    const [theirs, ours] = await Promise.all([make(sharp), make(pixelpoolSharp)].map(async (p) => sharp(await p.toBuffer()).metadata()))
    for (const key of ['channels', 'isPalette', 'bitsPerSample', 'space']) assert.deepEqual(ours[key], theirs[key], `${name}: ${key}`)
  }
  // One-bit grey keeps the top bit of each sample, as libvips does.
  const [bits, eight] = await Promise.all([grey(pixelpoolSharp).png({ colours: 2, palette: false }).toBuffer(), grey(pixelpoolSharp).raw().toBuffer()])
  const decoded = await sharp(bits).extractChannel(0).raw().toBuffer()
  assert.equal(decoded.length, eight.length)
  assert.ok(decoded.every((v, i) => v === (eight[i] >= 128 ? 255 : 0)))
})

test('ignoreIcc reads the pixels as stored, as sharp', async () => {
  const portrait = new URL('../../shared/sharp-suite/test/fixtures/Portrait_5.jpg', import.meta.url).pathname
  const pixel = (s, options) => s(portrait, options).extract({ left: 16, top: 16, width: 8, height: 8 }).raw().toBuffer()
  const [ours, theirs, converted] = await Promise.all([pixel(pixelpoolSharp, { ignoreIcc: true }), pixel(sharp, { ignoreIcc: true }), pixel(pixelpoolSharp, {})])
  assert.deepEqual(ours, theirs)
  assert.notDeepEqual(converted, ours, 'the control: the profile changes these pixels')
})
