// pixelpool-sharp's TIFF output against real sharp's: the same pipeline on both sides, each
// file read back by real sharp (libtiff). What libvips states (size, channels, depth, bits,
// resolution, orientation, pages, alpha) must be equal; the pixels of lossless
// compressions must be exactly the pipeline's own raw pixels; lossy ones may lose no more
// than sharp's own file loses against sharp's raw pixels (the measured control).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import pixelpoolSharp from '../packages/sharp/index.js'
import { photo } from './helpers.mjs'

const landscape = photo('budgie-roman-colosseum.jpg')
const rotated = photo('exiforient-landscape-6.jpg')

// A TIFF input, as sharp writes one: its pipelines write TIFF when no format is named.
const tiffInput = await sharp(landscape).resize(400).tiff({ compression: 'lzw' }).toBuffer()

const photoAt = (s, width) => s(landscape).resize(width)
const grey = (s, width) => s(landscape).resize(width).toColourspace('b-w')
const translucent = (s) => s({ create: { width: 40, height: 30, channels: 4, background: { r: 200, g: 40, b: 10, alpha: 0.5 } } })

/** name: [pipeline, pixels: 'exact' | 'lossy' | 'bits' (exact after the bit depth's cut)]. */
const pipelines = {
  default: [(s) => photoAt(s, 300).tiff(), 'lossy'],
  'quality 95 (RGB JPEG)': [(s) => photoAt(s, 300).tiff({ quality: 95 }), 'lossy'],
  lzw: [(s) => photoAt(s, 300).tiff({ compression: 'lzw' }), 'exact'],
  'lzw without predictor': [(s) => photoAt(s, 300).tiff({ compression: 'lzw', predictor: 'none' }), 'exact'],
  deflate: [(s) => photoAt(s, 300).tiff({ compression: 'deflate' }), 'exact'],
  packbits: [(s) => photoAt(s, 300).tiff({ compression: 'packbits' }), 'exact'],
  none: [(s) => photoAt(s, 300).tiff({ compression: 'none' }), 'exact'],
  webp: [(s) => photoAt(s, 300).tiff({ compression: 'webp' }), 'lossy'],
  'RGBA lzw': [(s) => translucent(s).tiff({ compression: 'lzw' }), 'exact'],
  'RGBA jpeg (alpha flattened)': [(s) => translucent(s).tiff(), 'lossy'],
  'b-w lzw': [(s) => grey(s, 300).tiff({ compression: 'lzw' }), 'exact'],
  'b-w jpeg': [(s) => grey(s, 300).tiff(), 'lossy'],
  '1 bit': [(s) => grey(s, 301).tiff({ bitdepth: 1, compression: 'none' }), 'bits'],
  '2 bit lzw': [(s) => grey(s, 301).tiff({ bitdepth: 2, compression: 'lzw', predictor: 'none' }), 'bits'],
  '4 bit miniswhite deflate': [(s) => grey(s, 301).tiff({ bitdepth: 4, miniswhite: true, compression: 'deflate', predictor: 'none' }), 'bits'],
  'miniswhite 8 bit': [(s) => grey(s, 300).tiff({ miniswhite: true, compression: 'none' }), 'exact'],
  'ccittfax4 1 bit': [(s) => grey(s, 301).tiff({ bitdepth: 1, compression: 'ccittfax4' }), 'bits'],
  'ccittfax4 miniswhite': [(s) => grey(s, 301).tiff({ bitdepth: 1, miniswhite: true, compression: 'ccittfax4' }), 'bits'],
  'tiles 64 x 32 lzw': [(s) => photoAt(s, 300).tiff({ tile: true, tileWidth: 64, tileHeight: 32, compression: 'lzw' }), 'exact'],
  'tiles jpeg': [(s) => photoAt(s, 300).tiff({ tile: true, tileWidth: 64, tileHeight: 64 }), 'lossy'],
  'pyramid lzw': [(s) => photoAt(s, 700).tiff({ pyramid: true, compression: 'lzw' }), 'exact'],
  bigtiff: [(s) => photoAt(s, 300).tiff({ bigtiff: true, compression: 'lzw' }), 'exact'],
  'strips of 17 rows': [(s) => photoAt(s, 300).tiff({ compression: 'deflate', tileHeight: 17 }), 'exact'],
  'cm, xres and yres': [(s) => photoAt(s, 300).tiff({ compression: 'lzw', resolutionUnit: 'cm', xres: 3.3, yres: 7 }), 'exact'],
  'withMetadata density': [(s) => photoAt(s, 300).withMetadata({ density: 300 }).tiff({ compression: 'lzw' }), 'exact'],
  'orientation kept': [(s) => s(rotated).resize(200).tiff({ compression: 'lzw' }), 'exact'],
  'orientation applied': [(s) => s(rotated).rotate().resize(200).tiff({ compression: 'lzw' }), 'exact'],
  'TIFF input, no format named': [(s) => s(tiffInput).resize(200), 'lossy'],
}

const stated = ['format', 'width', 'height', 'space', 'channels', 'depth', 'density', 'resolutionUnit', 'pages', 'orientation', 'hasAlpha', 'bitsPerSample', 'isPalette']

/** What the pipeline's pixels are, as raw samples from the same side. */
async function rawOf(s, make) {
  const pipeline = make(s)
  return pipeline.raw().toBuffer({ resolveWithObject: true })
}

async function readBack(data) {
  const metadata = await sharp(data).metadata()
  const pixels = await sharp(data, { page: 0 }).raw().toBuffer({ resolveWithObject: true })
  return { metadata, pixels }
}

function meanDifference(a, b) {
  assert.equal(a.length, b.length)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

/** Grey samples as sharp reads a grey TIFF back: sRGB, each value three times. */
function asRead(samples, channels, readChannels) {
  if (readChannels === channels) return samples
  assert.equal(readChannels, channels + 2, 'grey read back as RGB')
  const out = []
  for (let i = 0; i < samples.length; i += channels) {
    out.push(samples[i], samples[i], samples[i])
    if (channels === 2) out.push(samples[i + 1])
  }
  return Buffer.from(out)
}

/** Samples cut to `bits` and spread back over 0-255, as a reader shows them. */
function cutTo(samples, bits) {
  const levels = (1 << bits) - 1
  return samples.map((v) => Math.round(((v >> (8 - bits)) * 255) / levels))
}

for (const [name, [make, kind]] of Object.entries(pipelines)) {
  test(`tiff ${name}: states what sharp states, pixels ${kind}`, async () => {
    const theirs = await make(sharp).toBuffer({ resolveWithObject: true })
    const ours = await make(pixelpoolSharp).toBuffer({ resolveWithObject: true })
    assert.equal(ours.info.format, 'tiff')
    for (const key of ['width', 'height', 'channels', 'hasAlpha']) assert.equal(ours.info[key], theirs.info[key], `info.${key}`)
    const expected = await readBack(theirs.data)
    const actual = await readBack(ours.data)
    for (const key of stated) assert.deepEqual(actual.metadata[key], expected.metadata[key], key)

    // The pipeline's pixels before TIFF, opaque where the TIFF drops alpha.
    const flat = kind === 'lossy' && !actual.metadata.hasAlpha && (await rawOf(pixelpoolSharp, make)).info.channels === 4
    const ownRaw = await rawOf(pixelpoolSharp, (s) => (flat ? make(s).flatten() : make(s)))
    const readChannels = actual.pixels.info.channels
    const written = (raw) => asRead(raw.data, raw.info.channels, readChannels)
    if (kind === 'exact') {
      assert.ok(actual.pixels.data.equals(written(ownRaw)), 'pixels as written')
    } else if (kind === 'bits') {
      const bits = actual.metadata.bitsPerSample
      assert.ok(bits < 8)
      const samples = asRead(Buffer.from(cutTo([...ownRaw.data], bits)), 1, readChannels)
      assert.ok(actual.pixels.data.equals(samples), 'pixels cut to the bit depth')
    } else {
      const sharpRaw = await rawOf(sharp, (s) => (flat ? make(s).flatten() : make(s)))
      const control = meanDifference(expected.pixels.data, written(sharpRaw))
      const loss = meanDifference(actual.pixels.data, written(ownRaw))
      assert.ok(control > 0, 'the control loses something')
      assert.ok(loss <= control * 1.25, `loss ${loss.toFixed(3)} against sharp's own ${control.toFixed(3)}`)
    }
  })
}

test('tiff without compression is as large as libvips writes it (same tags, same layout)', async () => {
  const theirs = await grey(sharp, 21).tiff({ compression: 'none', predictor: 'none' }).toBuffer()
  const ours = await grey(pixelpoolSharp, 21).tiff({ compression: 'none', predictor: 'none' }).toBuffer()
  assert.equal(ours.length, theirs.length)
})

test('tiff refuses what libvips refuses, naming it', async () => {
  const attempts = [
    [(s) => photoAt(s, 50).tiff({ compression: 'ccittfax4' }), /ccittfax4/],
    [(s) => grey(s, 50).tiff({ bitdepth: 1, compression: 'lzw' }), /predictor/],
    [(s) => photoAt(s, 50).tiff({ tile: true, tileWidth: 40 }), /multiple of 16|multiples of 16/],
  ]
  for (const [make] of attempts) await assert.rejects(make(sharp).toBuffer(), 'sharp refuses it too')
  for (const [make, message] of attempts) await assert.rejects(make(pixelpoolSharp).toBuffer(), message)
})
