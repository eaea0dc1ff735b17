// pixelpool-sharp's band operations against real sharp: threshold, linear, recomb,
// convolve, unflatten, dilate, erode, bandbool, boolean, joinChannel, extractChannel and clahe.
// Each bound is measured, not picked: a twentieth of the operation's own effect (sharp's
// output against the same pipeline without it), so an operation ignored or computed
// otherwise lands far above it.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { photo } from './helpers.mjs'
import { compare, decoded, meanDifference, pixelpoolSharp } from './sharp/oracle.mjs'

let small
let alpha

before(async () => {
  small = await sharp(photo('budgie-colorful-wall.jpg')).resize(240).png().toBuffer()
  const { data, info } = await sharp(photo('kodak-kodim23.png')).resize(200).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round((((i - 3) / 4) % info.width) / info.width * 255)
  alpha = await sharp(data, { raw: info }).png().toBuffer()
})

const sepia = [[0.3588, 0.7044, 0.1368], [0.299, 0.587, 0.114], [0.2392, 0.4696, 0.0912]]
const cases = [
  ['threshold on grey', (s) => s(small).threshold(100)],
  ['threshold band by band', (s) => s(small).threshold(90, { greyscale: false })],
  ['threshold with alpha', (s) => s(alpha).threshold()],
  ['linear on every band', (s) => s(small).linear(1.5, -40)],
  ['linear per band, alpha kept', (s) => s(alpha).linear([0.5, 1.2, 1], [20, -10, 0])],
  ['recomb 3x3', (s) => s(small).recomb(sepia)],
  ['recomb 3x3 with alpha', (s) => s(alpha).recomb(sepia)],
  ['unflatten', (s) => s(small).threshold(160).unflatten()],
  ['dilate', (s) => s(small).threshold(120).dilate(2)],
  ['erode', (s) => s(small).threshold(120).erode()],
  ['bandbool', (s) => s(small).bandbool('or')],
  ['convolve with an offset', (s) => s(small).convolve({ width: 3, height: 3, kernel: [-1, 0, 1, -2, 0, 2, -1, 0, 1], offset: 128 })],
  ['clahe', (s) => s(small).clahe({ width: 9, height: 9 })],
  ['clahe unlimited, with alpha', (s) => s(alpha).clahe({ width: 20, height: 10, maxSlope: 0 })],
  ['convolve with a tall kernel', (s) => s(small).convolve({ width: 3, height: 5, kernel: [1, 2, 1, 2, 4, 2, 1, 2, 1, 2, 4, 2, 1, 2, 1] })],
]

for (const [name, build] of cases) {
  test(`${name} as sharp`, async () => {
    const [effect, without] = await Promise.all([
      build(sharp).png().toBuffer().then(decoded),
      sharp(name.includes('alpha') ? alpha : small).png().toBuffer().then(decoded),
    ])
    const control = meanDifference(effect.data, without.data)
    const { difference, actual, expected } = await compare((s) => build(s).png())
    assert.equal(actual.info.channels, expected.info.channels, 'channels')
    assert.ok(control > 1, `the operation changes the image (${control.toFixed(2)})`)
    assert.ok(difference <= control / 20, `difference ${difference.toFixed(3)} within ${(control / 20).toFixed(3)} (effect ${control.toFixed(2)})`)
  })
}

test('boolean with another image, and joinChannel from grey images, as sharp', async () => {
  const other = await sharp(small).flop().png().toBuffer()
  for (const op of ['and', 'eor']) {
    const [effect, without] = await Promise.all([sharp(small).boolean(other, op).png().toBuffer().then(decoded), sharp(small).png().toBuffer().then(decoded)])
    const control = meanDifference(effect.data, without.data)
    const { difference } = await compare((s) => s(small).boolean(other, op).png())
    assert.ok(control > 1 && difference <= control / 20, `${op}: difference ${difference.toFixed(3)}, effect ${control.toFixed(2)}`)
  }
  const grey = await sharp(small).greyscale().toColourspace('b-w').png().toBuffer()
  const band = await sharp(small).flip().greyscale().toColourspace('b-w').png().toBuffer()
  const { difference, actual } = await compare((s) => s(grey).joinChannel([band, grey]).png())
  assert.equal(actual.info.channels, 3)
  assert.equal(difference, 0)
})

test('extractChannel keeps one band, alpha included, as sharp', async () => {
  for (const channel of ['red', 'blue', 3]) {
    const { difference, actual } = await compare((s) => s(alpha).extractChannel(channel).raw())
    assert.equal(actual.info.channels, 1)
    assert.equal(difference, 0, `channel ${channel}`)
  }
  await assert.rejects(pixelpoolSharp(small).extractChannel(3).raw().toBuffer(), /Cannot extract channel 3 from image with channels 0-2/)
})

test('band operations check their parameters as sharp does', () => {
  const image = pixelpoolSharp(small)
  assert.throws(() => image.threshold(256), /Expected integer between 0 and 255 for threshold/)
  assert.throws(() => image.linear([1, 2], [1]), /Expected a and b to be arrays of the same length/)
  assert.throws(() => image.recomb([[1, 2], [3, 4]]), /Expected 3x3 or 4x4 array for inputMatrix/)
  assert.throws(() => image.dilate(0), /Expected integer between 1 and 65536 for width/)
  assert.throws(() => image.bandbool('nand'), /Expected one of: and, or, eor for boolOp/)
  assert.throws(() => image.extractChannel('cyan'), /Expected integer or one of: red, green, blue, alpha for channel/)
})

test('clahe with a window larger than the image rejects, naming it', async () => {
  await assert.rejects(pixelpoolSharp(small).clahe({ width: 1000, height: 3 }).toBuffer(),
    (error) => error.code === 'INVALID_OPTION' && /window too large/.test(error.message))
  assert.throws(() => pixelpoolSharp(small).clahe({ width: 3, height: 3, maxSlope: 101 }), /Expected integer between 0 and 100 for maxSlope but received 101/)
})
