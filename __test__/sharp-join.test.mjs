// sharp([a, b, ...], { join }) against real sharp: grids with alignment, shim and
// backgrounds, alpha, animations; and pixelpool's own joinInputs. Each pixel bound is a
// twentieth of a near miss measured in sharp's own output (the same join aligned
// otherwise), so an image placed a cell's slack off lands far above it.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { photo } from './helpers.mjs'
import { compare, meanDifference, pixelpoolSharp } from './sharp/oracle.mjs'
import { createQueue, joinInputs } from '../index.js'

let wide
let translucent
before(async () => {
  wide = await sharp(photo('budgie-colorful-wall.jpg')).resize(60).png().toBuffer()
  translucent = await sharp(photo('kodak-kodim23.png')).resize(45).ensureAlpha(0.6).png().toBuffer()
})

const red = { create: { width: 30, height: 50, channels: 3, background: 'red' } }
const cases = [
  ['a grid with shim, centred at the bottom', () => [wide, translucent, red], { across: 2, shim: 3, halign: 'centre', valign: 'bottom', background: 'blue' }],
  ['a row on a translucent background', () => [wide, translucent], { across: 2, background: { r: 0, g: 255, b: 0, alpha: 0.3 } }],
  ['a column, right aligned', () => [translucent, wide, red], { halign: 'right' }],
]

for (const [name, inputs, join] of cases) {
  test(`join: ${name} as sharp`, async () => {
    const raw = (s, options) => s(inputs(), { join: options }).raw().toBuffer({ resolveWithObject: true })
    const [exact, misaligned] = await Promise.all([raw(sharp, join), raw(sharp, { ...join, halign: join.halign === 'centre' ? 'left' : 'centre' })])
    const control = meanDifference(exact.data, misaligned.data)
    const { difference, actual, expected } = await compare((s) => s(inputs(), { join }).png())
    assert.equal(actual.info.channels, expected.info.channels, 'channels')
    assert.ok(control > 0.5, `the misaligned join differs (${control.toFixed(2)})`)
    assert.ok(difference <= control / 20, `difference ${difference.toFixed(3)} within ${(control / 20).toFixed(3)}`)
  })
}

test('join: an animation of two images, as sharp writes it', async () => {
  const gif = (s) => s([wide, translucent], { join: { animated: true } }).gif().toBuffer()
  const [expected, actual] = await Promise.all([gif(sharp), gif(pixelpoolSharp)])
  const [e, a] = await Promise.all([sharp(expected).metadata(), sharp(actual).metadata()])
  assert.deepEqual([a.pages, a.width, a.height, a.loop], [e.pages, e.width, e.height, e.loop])
  // The frames' pixels through a lossless animation (GIF's palettes are the encoders').
  const webp = (s) => s([wide, translucent], { join: { animated: true } }).webp({ lossless: true }).toBuffer()
  const [lossless, ours] = await Promise.all([webp(sharp), webp(pixelpoolSharp)])
  const frame = (buffer, page) => sharp(buffer, { page }).raw().toBuffer()
  for (const page of [0, 1]) {
    const [x, y, other] = await Promise.all([frame(lossless, page), frame(ours, page), frame(lossless, 1 - page)])
    assert.ok(meanDifference(x, y) <= meanDifference(x, other) / 20, `frame ${page}`)
  }
})

test("sharp's checks at the call", () => {
  assert.throws(() => pixelpoolSharp([]), /Expected at least two images to join/)
  assert.throws(() => pixelpoolSharp([wide, [wide, wide]]), /Recursive join is unsupported/)
  assert.throws(() => pixelpoolSharp(wide, { join: { across: 2 } }), /Expected input to be an array of images to join/)
  assert.throws(() => pixelpoolSharp([wide, wide], { join: { across: 0 } }), /Expected integer between 1 and 100000 for join.across but received 0 of type number/)
  assert.throws(() => pixelpoolSharp([wide, wide], { join: { valign: 'middle' } }), /Expected valid alignment for join.valign/)
})

test("pixelpool's own joinInputs: a job input, checked against the pixel limit, never nested", async () => {
  const queue = createQueue({ concurrency: 1 })
  const input = await joinInputs([wide, photo('kodak-kodim23.png')], { across: 2, shim: 4 })
  const { height } = await sharp(wide).metadata()
  const result = await queue.process({ input, outputs: [{ format: 'png' }] })
  const { width: kodakWidth, height: kodakHeight } = await sharp(photo('kodak-kodim23.png')).metadata()
  assert.deepEqual([result.outputs[0].width, result.outputs[0].height], [2 * Math.max(60, kodakWidth) + 4, Math.max(height, kodakHeight)])
  await assert.rejects(
    queue.process({ input, limitInputPixels: 1000, outputs: [{ format: 'png' }] }),
    (error) => error.code === 'INPUT_TOO_LARGE',
  )
  const tight = await joinInputs([wide, wide], { limitInputPixels: 100 })
  await assert.rejects(queue.process({ input: tight, outputs: [{ format: 'png' }] }), (error) => error.code === 'INPUT_TOO_LARGE' && /join\[0\]/.test(error.message))
  await assert.rejects(joinInputs([input, wide]), (error) => error.code === 'INVALID_OPTION' && /Recursive join/.test(error.message))
  await assert.rejects(joinInputs([wide]), (error) => error.code === 'INVALID_OPTION')
  const ok = await queue.process({ input: wide, outputs: [{ width: 16, format: 'jpeg' }] })
  assert.equal(ok.outputs[0].width, 16, 'the queue goes on')
  await queue.close()
})
