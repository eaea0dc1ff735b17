// AVIF's container properties against sharp (libheif) as the oracle: rotation (irot),
// mirroring (imir), clean aperture (clap), grids of tiles with an alpha grid, colour (ICC
// and nclx in colr) and the EXIF item (crates/engine/tests/avif/README.md).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import sharp from 'sharp'
import { createQueue } from '../index.mjs'
import { root } from './helpers.mjs'

const fixture = (name) => path.join(root, 'crates', 'engine', 'tests', 'avif', name)

async function rgba(encoded) {
  return sharp(encoded).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
}

/** Mean absolute difference per sample, after checking both have one size. */
async function difference(ours, theirs) {
  const [a, b] = await Promise.all([rgba(ours), rgba(theirs)])
  assert.deepEqual([a.info.width, a.info.height], [b.info.width, b.info.height])
  let sum = 0
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i])
  return sum / a.data.length
}

async function ours(queue, name) {
  const { outputs, input } = await queue.process({ input: fixture(name), outputs: [{ format: 'png', compressionLevel: 1 }] })
  return { png: outputs[0].data, input }
}

test('irot, imir and clap turn and crop the image as libheif does', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const lossless = ['irot1.avif', 'imir0.avif', 'imir1.avif', 'irot3-imir0.avif', 'clap.avif']
  for (const name of lossless) {
    const { png } = await ours(queue, name)
    const expected = await sharp(fixture(name)).png().toBuffer()
    const mad = await difference(png, expected)
    assert.ok(mad < 1, `${name}: mean absolute difference ${mad.toFixed(2)}`)
  }
  // The turned files differ from each other: a transform that was ignored would be caught.
  const [rotated, mirrored] = [await ours(queue, 'irot1.avif'), await ours(queue, 'imir0.avif')]
  assert.ok(await difference(rotated.png, mirrored.png) > 20)
  const clap = await ours(queue, 'clap.avif')
  assert.deepEqual([clap.input.width, clap.input.height], [96, 64])
})

test('a grid of tiles with an alpha grid is composed into one image', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const { png, input } = await ours(queue, 'grid-alpha.avif')
  assert.deepEqual([input.width, input.height, input.hasAlpha], [128, 128, true])
  const expected = await sharp(fixture('grid-alpha.avif')).png().toBuffer()
  const mad = await difference(png, expected)
  assert.ok(mad < 1, `mean absolute difference ${mad.toFixed(2)}`)
})

test('colr: an ICC profile and nclx P3 both come out in sRGB', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const icc = await ours(queue, 'icc-p3.avif')
  const converted = await sharp(fixture('icc-p3.avif')).toColourspace('srgb').png().toBuffer()
  assert.ok(await difference(icc.png, converted) < 2, 'ICC converted as sharp converts it')
  // sharp's libvips does not read nclx: the oracle is the same P3 pixels under the P3 profile.
  const nclx = await ours(queue, 'nclx-p3.avif')
  assert.ok(await difference(nclx.png, converted) < 2, 'nclx P3 converted as the P3 profile is')
  const untouched = await sharp(fixture('nclx-p3.avif')).png().toBuffer()
  assert.ok(await difference(nclx.png, untouched) > 3, 'and not left as stored')
})

test('the EXIF item is read; irot and imir, not its orientation, turn the image', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const { png } = await ours(queue, 'exif6.avif')
  const expected = await sharp(fixture('exif6.avif')).png().toBuffer()
  assert.ok(await difference(png, expected) < 2)
  const { outputs } = await queue.process({ input: fixture('exif6.avif'), outputs: [{ format: 'jpeg', keepMetadata: true }] })
  const kept = await sharp(outputs[0].data).metadata()
  assert.ok(kept.exif, 'the EXIF item is kept with keepMetadata')
  assert.equal(kept.orientation, 1)
})
