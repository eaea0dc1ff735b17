// pixelpool-sharp's metadata() against real sharp's, field by field and byte by byte (EXIF,
// ICC, IPTC, XMP blocks): every corpus photo, and images sharp itself writes in the formats
// and shapes the corpus lacks (palette and grey PNG, text chunks, GIF still and animated,
// animated WebP, TIFF at 8 and 16 bits, grey and CMYK JPEG, JFIF densities). Then the
// metadata each side writes (withExif, withXmp, withDensity, withMetadata), read back by
// real sharp and exif-reader.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import sharp from 'sharp'
import exifReader from 'exif-reader'
import pixelpoolSharp from '../packages/sharp/index.js'
import { corpusDir, photo } from './helpers.mjs'

/** Buffers shown by length and digest, so a difference says which block differs. */
function comparable(metadata) {
  const digest = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16)
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [
    key,
    Buffer.isBuffer(value) ? `${value.length} bytes, sha256 ${digest(value)}` : value,
  ]))
}

async function assertSameMetadata(input, label) {
  const expected = comparable(await sharp(input).metadata())
  const actual = comparable(await pixelpoolSharp(input).metadata())
  assert.deepEqual(actual, expected, label)
}

const gradient = (width, height, channels) => {
  const pixels = Buffer.alloc(width * height * channels)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 256
  return sharp(pixels, { raw: { width, height, channels } })
}

/** JPEG bytes with a JFIF segment of this unit and density in front of the rest. */
function withJfif(jpeg, unit, density) {
  const jfif = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, unit, density >> 8, density & 255, density >> 8, density & 255, 0, 0])
  return Buffer.concat([jpeg.subarray(0, 2), jfif, jpeg.subarray(2)])
}

test('metadata() of every corpus photo equals sharp’s', async () => {
  const names = readdirSync(corpusDir).sort()
  assert.ok(names.length >= 45)
  for (const name of names) await assertSameMetadata(photo(name), name)
})

test('metadata() of images sharp writes in other shapes equals sharp’s', async () => {
  const jpeg = await gradient(64, 48, 3).jpeg().toBuffer()
  const frames = await gradient(32, 32 * 4, 4).toBuffer()
  const animated = (format, options) =>
    sharp(frames, { raw: { width: 32, height: 128, channels: 4, pageHeight: 32 } })[format](options).toBuffer()
  const cases = {
    'palette PNG': await gradient(40, 30, 3).png({ palette: true, colours: 16 }).toBuffer(),
    'grey PNG': await gradient(40, 30, 1).png().toBuffer(),
    'grey + alpha PNG': await gradient(40, 30, 2).png().toBuffer(),
    '16-bit PNG': await gradient(40, 30, 3).toColourspace('rgb16').png().toBuffer(),
    'grey JPEG': await gradient(64, 48, 1).jpeg().toBuffer(),
    '4:4:4 progressive JPEG': await gradient(64, 48, 3).jpeg({ chromaSubsampling: '4:4:4', progressive: true }).toBuffer(),
    'CMYK JPEG': await gradient(64, 48, 3).toColourspace('cmyk').jpeg().toBuffer(),
    'JPEG at 300 dpi': withJfif(jpeg, 1, 300),
    'JPEG at 100 dots per cm': withJfif(jpeg, 2, 100),
    'JPEG with an aspect ratio only': withJfif(jpeg, 0, 2),
    'GIF, opaque': await gradient(30, 20, 3).gif().toBuffer(),
    'GIF, animated, three loops': await animated('gif', { loop: 3, delay: [100, 200, 300, 400] }),
    'GIF, animated forever': await animated('gif', { loop: 0 }),
    'WebP, still': await gradient(30, 20, 4).webp().toBuffer(),
    'WebP, animated': await animated('webp', { loop: 2, delay: 120 }),
    'TIFF, 8-bit RGB': await gradient(30, 20, 3).tiff().toBuffer(),
    'TIFF, grey': await gradient(30, 20, 1).tiff().toBuffer(),
    'TIFF, 16-bit': await gradient(30, 20, 3).toColourspace('rgb16').tiff().toBuffer(),
  }
  for (const [label, bytes] of Object.entries(cases)) await assertSameMetadata(bytes, label)
})

test('metadata() refuses an image above limitInputPixels, as sharp', async () => {
  const bytes = await gradient(64, 48, 3).png().toBuffer()
  await assert.rejects(sharp(bytes, { limitInputPixels: 100 }).metadata(), /Input image exceeds pixel limit/)
  await assert.rejects(pixelpoolSharp(bytes, { limitInputPixels: 100 }).metadata(), (error) =>
    error.code === 'INPUT_TOO_LARGE' && error.message === 'Input image exceeds pixel limit')
})

/** What real sharp and exif-reader read back of an output's metadata. */
async function writtenMetadata(bytes) {
  const m = await sharp(bytes).metadata()
  const exif = m.exif ? exifReader(m.exif) : undefined
  return {
    density: m.density,
    orientation: m.orientation,
    hasProfile: m.hasProfile,
    xmp: m.xmp?.toString(),
    software: exif?.Image?.Software,
    copyright: exif?.Image?.Copyright,
    exposureTime: exif?.Photo?.ExposureTime,
    xResolution: exif?.Image?.XResolution,
  }
}

test('metadata written by withExif, withXmp, withDensity and withMetadata reads back as sharp’s', async () => {
  const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
  const oriented = await gradient(64, 48, 3).withMetadata({ orientation: 6 }).jpeg().toBuffer()
  const withSoftware = await gradient(64, 48, 3).withExif({ IFD0: { Software: 'first', Copyright: 'kept' } }).jpeg().toBuffer()
  const pipelines = {
    'withExif on JPEG': (s) => s(withSoftware).withExif({ IFD0: { Software: 'second' } }).jpeg(),
    'withExifMerge on JPEG': (s) => s(withSoftware).withExifMerge({ IFD0: { Software: 'second' }, IFD2: { ExposureTime: '0.2' } }).jpeg(),
    'keepExif on JPEG': (s) => s(withSoftware).keepExif().jpeg(),
    'withXmp on JPEG': (s) => s(oriented).withXmp(xmp).jpeg(),
    'withXmp on PNG': (s) => s(oriented).withXmp(xmp).png(),
    'withXmp on WebP': (s) => s(oriented).withXmp(xmp).webp(),
    'withDensity on JPEG': (s) => s(oriented).withDensity(300).jpeg(),
    'withDensity on PNG': (s) => s(oriented).withDensity(96).png(),
    'PNG keeps the input resolution': (s) => s(oriented).withDensity(240).jpeg().toBuffer().then((b) => s(b).png()),
    'withMetadata without autoOrient keeps the orientation': (s) => s(oriented).resize(32).withMetadata().jpeg(),
    'withMetadata with autoOrient resets it': (s) => s(oriented, { autoOrient: true }).resize(32).withMetadata().jpeg(),
    'withMetadata({ orientation, density })': (s) => s(oriented).withMetadata({ orientation: 3, density: 150 }).jpeg(),
    'no metadata asked': (s) => s(withSoftware).resize(32).jpeg(),
  }
  for (const [label, pipeline] of Object.entries(pipelines)) {
    const made = async (s) => (await pipeline(s)).toBuffer()
    assert.deepEqual(await writtenMetadata(await made(pixelpoolSharp)), await writtenMetadata(await made(sharp)), label)
  }
})

// stats() beside sharp's on every corpus photo and an opaque GIF: channel sums exact,
// entropy and sharpness within sharp's own test tolerance (0.1%), which the greyscale they
// are taken from decides (libvips' b-w: linear luminance, sRGB-encoded; a gamma-space luma
// lands 0.1-0.7% away), and an opaque GIF's three channels. (The dominant bin is sharp's
// for 41 of the 45 photos; docs/sharp.md lists the difference.)
test('stats() as sharp: channels, entropy, sharpness', async () => {
  const near = (actual, expected) => Math.abs(actual - expected) <= 0.001 * Math.abs(expected)
  const gif = await sharp(photo('kodak-kodim13.png')).resize(200).gif().toBuffer()
  const inputs = [...readdirSync(corpusDir).sort().map((name) => photo(name)), gif]
  for (const input of inputs) {
    const [expected, actual] = await Promise.all([sharp(input).stats(), pixelpoolSharp(input).stats()])
    const label = typeof input === 'string' ? input : 'opaque GIF'
    assert.deepEqual(actual.channels.map((c) => c.sum), expected.channels.map((c) => c.sum), label)
    assert.ok(near(actual.entropy, expected.entropy), `${label}: entropy ${actual.entropy} against ${expected.entropy}`)
    assert.ok(near(actual.sharpness, expected.sharpness), `${label}: sharpness ${actual.sharpness} against ${expected.sharpness}`)
    assert.equal(actual.isOpaque, expected.isOpaque, label)
  }
})

test("stats' dominant colour in libvips' bins, an SVG's density and size limits, a truncated JPEG header, as sharp", async () => {
  // Bins hold 1-16, 17-32, ...: the edges of each bin, as sharp reports them.
  for (const value of [0, 1, 16, 17, 32, 33, 112, 241, 255]) {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: value, g: 255 - value, b: value } } }).png().toBuffer()
    const [expected, actual] = await Promise.all([sharp(png).stats(), pixelpoolSharp(png).stats()])
    assert.deepEqual(actual.dominant, expected.dominant, `value ${value}`)
  }
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="red"/></svg>')
  for (const density of [72, 300, 1200]) {
    const densityOf = async (s) => (await sharp(await s(svg, { density }).png().toBuffer()).metadata()).density
    assert.equal(await densityOf(pixelpoolSharp), await densityOf(sharp), `density ${density}`)
  }
  const wide = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="32768" height="1" />')
  await assert.rejects(pixelpoolSharp(wide).toBuffer(), /Input SVG image exceeds 32767x32767 pixel limit/)
  const widest = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="32767" height="1" />')
  await assert.rejects(pixelpoolSharp(widest).resize(32768).toBuffer(), /Input SVG image will exceed 32767x32767 pixel limit when scaled/)
  await assert.rejects(pixelpoolSharp('<svg xmlns="http://www.w3.org/2000/svg"></svg>').toBuffer(), /Input file is missing, did you mean/)
  // A JPEG cut off inside its EXIF segment: libvips' words.
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } }).withExif({ IFD0: { Copyright: 'x'.repeat(200) } }).jpeg().toBuffer()
  const cut = jpeg.subarray(0, 60)
  await assert.rejects(pixelpoolSharp(cut).metadata(), /Input buffer has corrupt header: VipsJpeg: premature end of/)
  await assert.rejects(sharp(cut).metadata(), /Input buffer has corrupt header: VipsJpeg: premature end of/)
})
