// pixelpool-sharp's resize against real sharp's, kernel by kernel, at reductions below 2
// (the kernel alone), between 2 and 4, and of 6 and 12 (libvips block-averages first and
// leaves the kernel the rest). Raw pixels of a corpus PNG, so no codec stands between.
//
// The bound, 0.9 of 255 mean, is what the two implementations' fixed-point arithmetic
// leaves: measured 0.07-0.77 on 2026-12-06 (largest at 6x, mitchell). The control is the
// same resize through the nearest kernel, which differs from sharp's by 6.7 to 21; before
// this resize skipped the block average and stretched the rounding (1.3-1.8 at 6x and at
// 1.1x), and a kernel in another's place lands 0.9-5 away.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { photo } from './helpers.mjs'
import { pixelpoolSharp, meanDifference } from './sharp/oracle.mjs'

const source = photo('kodak-kodim13.png') // 768 x 512
const bound = 0.9
const kernels = ['linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3', 'mks2013', 'mks2021']

const raw = (s, width, kernel) => s(source).resize(width, null, { kernel }).raw().toBuffer({ resolveWithObject: true })

for (const width of [700, 300, 128, 60]) {
  test(`resize to ${width} wide: every kernel within ${bound} of sharp's, the nearest kernel far outside`, async () => {
    const control = await raw(pixelpoolSharp, width, 'nearest')
    for (const kernel of kernels) {
      const [expected, actual] = await Promise.all([raw(sharp, width, kernel), raw(pixelpoolSharp, width, kernel)])
      assert.deepEqual([actual.info.width, actual.info.height], [expected.info.width, expected.info.height], kernel)
      const difference = meanDifference(expected.data, actual.data)
      assert.ok(difference <= bound, `${kernel}: ${difference.toFixed(3)} from sharp's`)
      const missed = meanDifference(expected.data, control.data)
      assert.ok(missed > 2 * bound, `${kernel}: the nearest kernel is only ${missed.toFixed(3)} from sharp's`)
    }
  })
}

// Enlarging: libvips interpolates (bicubic for every cubic-family kernel, bilinear for
// linear) reading half a pixel early, instead of convolving with the kernel. Measured on
// 2026-12-07: 0.004-0.232 of 255 mean from sharp's for every kernel, in fill and cover
// (libvips' fixed-point bicubic leaves the rest); the control, the nearest kernel, is
// 5.1-12.6 away.
const small = await sharp(source).resize(96).png().toBuffer() // 96 x 64
const enlarged = (s, kernel, options) => s(small).resize({ ...options, kernel }).raw().toBuffer({ resolveWithObject: true })

for (const [name, options] of [['to 250 wide', { width: 250 }], ['cover 200 x 200', { width: 200, height: 200 }], ['fill 300 x 40', { width: 300, height: 40, fit: 'fill' }]]) {
  test(`enlarge ${name}: every kernel within ${bound / 3} of sharp's, the nearest kernel far outside`, async () => {
    const control = await enlarged(pixelpoolSharp, 'nearest', options)
    for (const kernel of kernels) {
      const [expected, actual] = await Promise.all([enlarged(sharp, kernel, options), enlarged(pixelpoolSharp, kernel, options)])
      assert.deepEqual([actual.info.width, actual.info.height], [expected.info.width, expected.info.height], kernel)
      const difference = meanDifference(expected.data, actual.data)
      assert.ok(difference <= bound / 3, `${kernel}: ${difference.toFixed(3)} from sharp's`)
      const missed = meanDifference(expected.data, control.data)
      assert.ok(missed > bound, `${kernel}: the nearest kernel is only ${missed.toFixed(3)} from sharp's`)
    }
  })
}
