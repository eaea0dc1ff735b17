// TIFFs beyond the tiff crate against sharp (libtiff) as the oracle: CCITT group 3 and 4,
// palette, CIELAB (float and 16-bit), and a page of a multi-page file
// (crates/engine/tests/tiff/README.md).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import sharp from 'sharp'
import { createQueue } from '../index.mjs'
import { root } from './helpers.mjs'

const fixture = (name) => path.join(root, 'crates', 'engine', 'tests', 'tiff', name)

async function srgb(input, options) {
  return sharp(input, options).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true })
}

async function difference(ours, theirs) {
  assert.deepEqual([ours.info.width, ours.info.height], [theirs.info.width, theirs.info.height])
  let sum = 0
  for (let i = 0; i < ours.data.length; i++) sum += Math.abs(ours.data[i] - theirs.data[i])
  return sum / ours.data.length
}

test('CCITT group 3 and 4, palette and CIELAB TIFFs decode as libtiff decodes them', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  for (const name of ['g3.tif', 'g4.tif', 'palette.tif', 'lab-float.tif', 'labs.tif']) {
    const { outputs } = await queue.process({ input: fixture(name), outputs: [{ format: 'png', compressionLevel: 1 }] })
    const mad = await difference(await srgb(outputs[0].data), await srgb(fixture(name)))
    assert.ok(mad < 0.5, `${name}: mean absolute difference ${mad.toFixed(2)}`)
  }
})

test('page chooses a page of a multi-page TIFF; beyond the last is INVALID_OPTION', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  for (const page of [0, 1]) {
    const { outputs } = await queue.process({ input: fixture('multipage.tif'), page, outputs: [{ format: 'png' }] })
    const mad = await difference(await srgb(outputs[0].data), await srgb(fixture('multipage.tif'), { page }))
    assert.ok(mad < 0.5, `page ${page}: ${mad.toFixed(2)}`)
  }
  const [first, second] = await Promise.all([0, 1].map((page) => queue.process({ input: fixture('multipage.tif'), page, outputs: [{ format: 'png' }] })))
  assert.ok(!first.outputs[0].data.equals(second.outputs[0].data), 'the pages differ')
  await assert.rejects(queue.process({ input: fixture('multipage.tif'), page: 2, outputs: [{ format: 'png' }] }), (error) => {
    assert.equal(error.code, 'INVALID_OPTION')
    assert.match(error.message, /page/)
    return true
  })
})
