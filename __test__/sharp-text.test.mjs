// sharp({ text }) against real sharp (Pango and cairo in libvips) with the font file of
// sharp's own tests given to both: image sizes, autofit's dpi, and pixels. Each pixel bound
// is half of a near miss measured in sharp's own output (its image one pixel to the right),
// so text drawn a pixel off, or at another size, lands above it. pixelpool's own
// textInput, the pixel limit and bad markup.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import sharp from 'sharp'
import { root } from './helpers.mjs'
import { meanDifference, pixelpoolSharp } from './sharp/oracle.mjs'
import { createQueue, textInput } from '../index.js'

const fontfile = path.join(root, '..', 'shared', 'sharp-suite', 'test', 'fixtures', 'NotoSans-Regular.ttf')
const noto = (size) => ({ font: `Noto Sans ${size}`, fontfile })

const raw = (s, text) => s({ text }).raw().toBuffer({ resolveWithObject: true })

/** The mean difference between an image and itself one pixel to the right. */
function shiftedByOne({ data, info }) {
  const shifted = Buffer.alloc(data.length)
  const row = info.width * info.channels
  for (let y = 0; y < info.height; y++) data.copy(shifted, y * row + info.channels, y * row, (y + 1) * row - info.channels)
  return meanDifference(data, shifted)
}

const drawnAsSharp = [
  ['colours, sizes and a background in markup', { text: '<span foreground="red" font="100">red</span><span font="50" background="cyan">blue</span>', ...noto(12), rgba: true, dpi: 300 }],
  ['words wrapped at a width', { text: 'The quick brown fox jumps over the lazy dog', ...noto(20), width: 200 }],
  ['lines centred', { text: 'Hello, world!', ...noto(40), align: 'centre', width: 150 }],
  ['lines spaced', { text: 'line one\nline two', ...noto(20), spacing: 30 }],
]

for (const [name, text] of drawnAsSharp) {
  test(`text: ${name}, as sharp draws them`, async () => {
    const [expected, actual] = await Promise.all([raw(sharp, text), raw(pixelpoolSharp, text)])
    assert.deepEqual([actual.info.width, actual.info.height, actual.info.channels], [expected.info.width, expected.info.height, expected.info.channels])
    assert.equal(actual.info.textAutofitDpi, expected.info.textAutofitDpi)
    const control = shiftedByOne(expected)
    const difference = meanDifference(expected.data, actual.data)
    assert.ok(control > 1, `a one-pixel shift is visible (${control.toFixed(2)})`)
    assert.ok(difference <= control / 2, `difference ${difference.toFixed(3)} within ${(control / 2).toFixed(3)}`)
  })
}

test('text: synthetic bold and italic, and autofit, within two pixels of sharp', async () => {
  const cases = [
    { text: '<span background="cyan">cool</span> <i>italic</i> <b>bold</b>', ...noto(30), dpi: 150, rgba: true },
    { text: 'Hello, world!', ...noto(12), width: 500, height: 400 },
  ]
  for (const text of cases) {
    const [expected, actual] = await Promise.all([raw(sharp, text), raw(pixelpoolSharp, text)])
    assert.equal(actual.info.textAutofitDpi, expected.info.textAutofitDpi, 'autofit dpi')
    assert.ok(Math.abs(actual.info.width - expected.info.width) <= 2, `width ${actual.info.width} for ${expected.info.width}`)
    assert.ok(Math.abs(actual.info.height - expected.info.height) <= 2, `height ${actual.info.height} for ${expected.info.height}`)
  }
})

test('text: PNG states the dpi, and composites onto an image as sharp does', async () => {
  const png = await pixelpoolSharp({ text: { text: 'dpi', ...noto(12), dpi: 300 } }).png().toBuffer()
  assert.equal((await sharp(png).metadata()).density, 300)
  const overlay = { input: { text: { text: '<span foreground="white">mark</span>', ...noto(20), rgba: true } }, gravity: 'southeast' }
  const base = { create: { width: 120, height: 60, channels: 3, background: 'navy' } }
  const build = (s) => s(base).composite([overlay]).raw().toBuffer({ resolveWithObject: true })
  const [expected, actual] = await Promise.all([build(sharp), build(pixelpoolSharp)])
  const plain = await sharp(base).ensureAlpha().raw().toBuffer()
  const control = meanDifference(expected.data, plain)
  assert.ok(control > 1, `the mark is visible (${control.toFixed(2)})`)
  assert.ok(meanDifference(expected.data, actual.data) <= control / 4)
})

test("text: sharp's checks at the call, bad markup and the pixel limit when drawn", async () => {
  assert.throws(() => pixelpoolSharp({ text: { text: 'x', width: 0.1 } }), /Expected integer between 1 and 1000000 for text\.width but received 0\.1 of type number/)
  assert.throws(() => pixelpoolSharp({ text: { text: 'x', wrap: 'invalid' } }), /Expected one of: word, char, word-char, none for text\.wrap/)
  assert.throws(() => pixelpoolSharp({ text: { text: 'x', height: 10, dpi: 10 } }), /Expected only one of dpi or height/)
  assert.throws(() => pixelpoolSharp({ text: {} }), /Expected a valid string to create an image with text/)
  await assert.rejects(pixelpoolSharp({ text: { text: '<span nope="1">x</span>' } }).png().toBuffer(), (error) => error.code === 'INVALID_OPTION' && /invalid markup/.test(error.message))
  await assert.rejects(
    pixelpoolSharp({ text: { text: 'huge', dpi: 1000000 } }).png().toBuffer(),
    (error) => error.code === 'INPUT_TOO_LARGE' && /pixel limit/.test(error.message),
  )
  // The queue goes on.
  const { info } = await pixelpoolSharp({ text: { text: 'after', ...noto(12) } }).png().toBuffer({ resolveWithObject: true })
  assert.ok(info.width > 10)
})

test("pixelpool's own textInput: a job input at its dpi, within the pixel limit", async () => {
  const queue = createQueue({ concurrency: 1 })
  const text = await textInput({ text: 'Hello', font: 'DejaVu Sans 20', dpi: 144 })
  assert.equal(text.dpi, 144)
  const result = await queue.process({ input: text.input, outputs: [{ format: 'png' }] })
  assert.deepEqual([result.outputs[0].width, result.outputs[0].height], [text.width, text.height])
  const small = await textInput({ text: 'Hello', font: 'DejaVu Sans 20', dpi: 72 })
  assert.ok(text.width > 1.9 * small.width, `${text.width} at 144 dpi, ${small.width} at 72`)
  await assert.rejects(textInput({ text: 'Hello', limitInputPixels: 10 }), (error) => error.code === 'INPUT_TOO_LARGE')
  await assert.rejects(textInput({ text: 5 }), (error) => error.code === 'INVALID_OPTION')
  await queue.close()
})
