// pixelpool-sharp's metadata() against real sharp's, field by field and byte by byte (EXIF,
// ICC, IPTC, XMP blocks): every corpus photo, and images sharp itself writes in the formats
// and shapes the corpus lacks (palette and grey PNG, text chunks, GIF still and animated,
// animated WebP, TIFF at 8 and 16 bits, grey and CMYK JPEG, JFIF densities).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import sharp from 'sharp'
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
