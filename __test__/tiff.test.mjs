// TIFFs beyond the tiff crate's own reading against sharp (libtiff) as the oracle: CCITT
// group 3 and 4, palettes (8 and 16-bit), CIELAB, LogLuv, YCbCr, float and signed samples,
// planes, extra samples, oversized tiles, big-endian BigTIFF, and a page of a multi-page
// file (crates/engine/tests/tiff/README.md).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { createQueue } from '../index.mjs'
import pixelpoolSharp from '../packages/sharp/index.js'
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

const classes = ['g3.tif', 'g4.tif', 'palette.tif', 'lab-float.tif', 'labs.tif', 'logluv.tif', 'ycbcr-lzw.tif',
  'ycbcr-full.tif', 'float-predictor.tif', 'half-float.tif', 'grey-int8.tif', 'grey-extra.tif', 'planar.tif',
  'tiles-larger.tif', 'bigtiff-be.tif']

// A 16-bit palette TIFF (its colour map alone is 384 KiB, so it is made here, not kept):
// uncompressed indices spread over the whole map.
function palette16Tiff(width, height) {
  const entries = 65536
  const tags = [[256, 3, width], [257, 3, height], [258, 3, 16], [259, 3, 1], [262, 3, 3], [273, 4, 0],
    [277, 3, 1], [278, 3, height], [279, 4, width * height * 2], [320, 3, 0]]
  const ifdBytes = 2 + tags.length * 12 + 4
  const mapAt = 8 + ifdBytes
  const dataAt = mapAt + entries * 3 * 2
  const file = Buffer.alloc(dataAt + width * height * 2)
  file.write('II*\0', 0, 'latin1')
  file.writeUInt32LE(8, 4)
  file.writeUInt16LE(tags.length, 8)
  tags.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12
    file.writeUInt16LE(tag, at)
    file.writeUInt16LE(type, at + 2)
    file.writeUInt32LE(tag === 320 ? entries * 3 : 1, at + 4)
    const inline = tag === 273 ? dataAt : tag === 320 ? mapAt : value
    if (type === 3 && tag !== 320) file.writeUInt16LE(inline, at + 8)
    else file.writeUInt32LE(inline, at + 8)
  })
  for (let i = 0; i < entries; i++) {
    file.writeUInt16LE(i, mapAt + i * 2)
    file.writeUInt16LE(65535 - i, mapAt + (entries + i) * 2)
    file.writeUInt16LE((i * 7) & 0xffff, mapAt + (2 * entries + i) * 2)
  }
  for (let p = 0; p < width * height; p++) file.writeUInt16LE((p * 997) & 0xffff, dataAt + p * 2)
  return file
}

test('TIFFs of every photometric, sample format and layout decode as libtiff decodes them', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-tiff-'))
  t.after(() => {
    rmSync(dir, { recursive: true, force: true })
    return queue.close()
  })
  const palette16 = path.join(dir, 'palette16.tif')
  writeFileSync(palette16, palette16Tiff(64, 48))
  for (const input of [...classes.map(fixture), palette16]) {
    const { outputs } = await queue.process({ input, outputs: [{ format: 'png', compressionLevel: 1 }] })
    const mad = await difference(await srgb(outputs[0].data), await srgb(input))
    assert.ok(mad < 0.5, `${path.basename(input)}: mean absolute difference ${mad.toFixed(2)}`)
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

test('metadata() reports each class with the bands, space and depth sharp reports', async () => {
  const bands = ({ space, channels, depth, hasAlpha, pages }) => ({ space, channels, depth, hasAlpha, pages })
  for (const name of [...classes, 'cmyk8.tif', 'cmyka8.tif', 'cmyka16.tif', 'cmyk-float.tif', 'multipage.tif']) {
    assert.deepEqual(bands(await pixelpoolSharp(fixture(name)).metadata()), bands(await sharp(fixture(name)).metadata()), name)
  }
})
