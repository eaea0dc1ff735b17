// pixelpool-sharp's affine() against real sharp: every interpolator, offsets, backgrounds
// and alpha, and rotate, which libvips does as an affine. Each bound is measured, not
// picked: a tenth of the smaller of two near misses (sharp's own output placed a pixel off,
// and sharp's output with the neighbouring interpolator), so a misplaced grid or a wrong
// interpolator lands far above it.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { photo } from './helpers.mjs'
import { compare, decoded, meanDifference, pixelpoolSharp } from './sharp/oracle.mjs'
import { createQueue } from '../index.js'

let small
let alpha
let animation

before(async () => {
  small = await sharp(photo('budgie-colorful-wall.jpg')).resize(120).png().toBuffer()
  const { data, info } = await sharp(small).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round((((i - 3) / 4) % info.width) / info.width * 255)
  alpha = await sharp(data, { raw: info }).png().toBuffer()
  animation = await sharp([small, await sharp(small).negate().toBuffer()], { join: { animated: true } }).gif().toBuffer()
})

const neighbour = { nearest: 'bilinear', bilinear: 'bicubic', bicubic: 'lbb', lbb: 'nohalo', nohalo: 'lbb', vsqbs: 'bilinear' }
const cases = [
  ...Object.keys(neighbour).map((interpolator) => [`2.5x upscale, ${interpolator}`, () => small, [2.5, 0, 0, 2.5], { interpolator }]),
  ['shear and turn, background and offsets', () => small, [[0.8, 0.4], [-0.3, 1.1]], { background: 'orange', idx: 3, idy: -2, odx: 5, ody: 1.5, interpolator: 'bicubic' }],
  ['mirror with a translucent background', () => small, [-1.3, 0, 0, 0.9], { background: { r: 0, g: 0, b: 255, alpha: 0.5 } }],
  ['alpha, turned by a matrix', () => alpha, [[0.7, -0.7], [0.7, 0.7]], { interpolator: 'nohalo' }],
]

for (const [name, input, matrix, options] of cases) {
  test(`affine: ${name} as sharp`, async () => {
    const near = (change) => sharp(input()).affine(matrix, { ...options, ...change }).png().toBuffer().then(decoded)
    const [exact, shifted, other] = await Promise.all([
      near({}),
      near({ odx: (options.odx ?? 0) + 1 }),
      near({ interpolator: neighbour[options.interpolator ?? 'bilinear'] }),
    ])
    // The neighbouring interpolator is a near miss where it shows: on an upscale.
    const misses = [shifted, ...(name.includes('upscale') ? [other] : [])]
    const control = Math.min(...misses.map((miss) => meanDifference(exact.data, miss.data)))
    const { difference, actual, expected } = await compare((s) => s(input()).affine(matrix, options).png())
    assert.equal(actual.info.channels, expected.info.channels, 'channels')
    assert.ok(control > 0.2, `the near misses differ from sharp (${control.toFixed(2)})`)
    assert.ok(difference <= control / 10, `difference ${difference.toFixed(3)} within ${(control / 10).toFixed(3)}`)
  })
}

// After extract sharp's info keeps the extracted size (a sharp bug pixelpool-sharp does not
// copy: its info is the written image's), so this case leaves extract out.
test('affine after resize and rotate, in sharp\'s order', async () => {
  const build = (s) => s(small).resize(90).rotate(30).affine([1, 0.2, 0, 1]).png()
  const { difference } = await compare(build)
  const shifted = await sharp(small).resize(90).rotate(30).affine([1, 0.2, 0, 1], { odx: 1 }).png().toBuffer().then(decoded)
  const exact = await build(sharp).toBuffer().then(decoded)
  const control = meanDifference(exact.data, shifted.data)
  assert.ok(difference <= control / 10, `difference ${difference.toFixed(3)} within ${(control / 10).toFixed(3)}`)
})

test("sharp's checks and rejections", async () => {
  assert.throws(() => pixelpoolSharp().affine([[1], [2], [3], [4]]), /Expected 1x4 or 2x2 array for matrix/)
  assert.throws(() => pixelpoolSharp().affine([1, 0, 0, 1], { idx: Infinity }), /Expected number for options\.idx/)
  assert.throws(() => pixelpoolSharp().affine([1, 0, 0, 1], { interpolator: 'cubic' }), /Expected valid interpolator name for options\.interpolator/)
  await assert.rejects(
    pixelpoolSharp(animation, { animated: true }).affine([1, 0, 0, 1]).toBuffer(),
    /Affine is not supported for multi-page images/,
  )
  await assert.rejects(pixelpoolSharp(small).affine([1, 1, 1, 1]).toBuffer(), (error) => error.code === 'INVALID_OPTION' && /singular/.test(error.message))
})

test("pixelpool's own job API runs affine, and refuses one no memory could hold", async () => {
  const queue = createQueue({ concurrency: 1 })
  const background = { r: 0, g: 0, b: 0, a: 255 }
  const affine = (matrix) => ({ matrix, background, interpolator: 'lbb' })
  const result = await queue.process({ input: small, outputs: [{ format: 'png', operations: { affine: affine([0.5, 0, 0, 0.25]) } }] })
  const { height } = await sharp(small).metadata()
  assert.deepEqual([result.outputs[0].width, result.outputs[0].height], [60, Math.round(height / 4)])
  await assert.rejects(
    queue.process({ input: small, outputs: [{ format: 'png', operations: { affine: affine([1e6, 0, 0, 1e6]) } }] }),
    (error) => error.code === 'INPUT_TOO_LARGE' && /affine/.test(error.message),
  )
  const ok = await queue.process({ input: small, outputs: [{ width: 32, format: 'jpeg' }] })
  assert.equal(ok.outputs[0].width, 32, 'the queue goes on')
  await queue.close()
})
