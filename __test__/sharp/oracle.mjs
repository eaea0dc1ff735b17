// Runs one pipeline through real sharp and through pixelpool-sharp and measures how far
// apart the results are: format, size, and the mean absolute difference of their pixels
// (0-255, over every channel), both decoded by real sharp.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import sharp from 'sharp'
import { root } from '../helpers.mjs'

const require = createRequire(import.meta.url)
export const pixelpoolSharp = require(`${root}/packages/sharp`)

export async function decoded(buffer) {
  const { data, info } = await sharp(buffer).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

export function meanDifference(a, b) {
  let total = 0
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i] - b[i])
  return total / a.length
}

/** Both sides' `{ data, info }` for `build(sharpFunction)`, and their pixel difference. */
export async function compare(build) {
  const [expected, actual] = await Promise.all([
    build(sharp).toBuffer({ resolveWithObject: true }),
    build(pixelpoolSharp).toBuffer({ resolveWithObject: true }),
  ])
  assert.equal(actual.info.format, expected.info.format, 'format')
  assert.deepEqual([actual.info.width, actual.info.height], [expected.info.width, expected.info.height], 'size')
  if (expected.info.format === 'raw') {
    assert.equal(actual.info.channels, expected.info.channels, 'channels')
    return { expected, actual, difference: meanDifference(expected.data, actual.data) }
  }
  const [e, a] = await Promise.all([decoded(expected.data), decoded(actual.data)])
  return { expected, actual, difference: meanDifference(e.data, a.data) }
}
