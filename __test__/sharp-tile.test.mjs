// pixelpool-sharp's tile() against real sharp: every layout writes the same files under the
// same names, the description files (.dzi, ImageProperties.xml, info.json) byte for byte,
// and the tiles of every halved level within a twentieth of what halving does to them
// (sharp's tile against the same pixels cut from the full-size image, unhalved). A
// truncating 2x2 mean (measured: the Deep Zoom cases fail, 2.5 against a bound of 1.9), an
// off-by-one level or a wrong tile origin lands above it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { createQueue } from '../index.js'
import { photo, scratch } from './helpers.mjs'
import { meanDifference, pixelpoolSharp } from './sharp/oracle.mjs'

const input = photo('kodak-kodim23.png')
const cases = {
  'Deep Zoom': {},
  'Deep Zoom, overlap and angle': { size: 200, overlap: 3, angle: 90 },
  Zoomify: { layout: 'zoomify', size: 128 },
  Google: { layout: 'google' },
  'Google, centred': { layout: 'google', centre: true },
  'IIIF 2': { layout: 'iiif', size: 300 },
  'IIIF 3': { layout: 'iiif3', id: 'https://example.org/images' },
}

/** Every file under `dir`, relative, sorted; libvips' own vips-properties.xml left out. */
function listing(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((name) => statSync(path.join(dir, name)).isFile() && !name.endsWith('vips-properties.xml'))
    .sort()
}

const isText = (name) => /\.(dzi|xml|json)$/.test(name)

/** Whether a tile is of the full-size level: the highest level number (IIIF: scale 1). */
function isFullSize(file, files) {
  const iiif = file.match(/^out\/(\d+),(\d+),(\d+),(\d+)\/(\d+),/)
  if (iiif) return Number(iiif[3]) === Number(iiif[5])
  if (file.includes('/full/')) return false
  const level = (name) => Number((name.match(/(?:_files|out)\/(?:TileGroup\d+\/)?(\d+)[/-]/) ?? [])[1])
  return level(file) === Math.max(...files.filter((f) => !isText(f) && !f.endsWith('blank.png')).map(level))
}

/** A tile's pixels, and the same area of the full-size image the level was halved from. */
async function tilePixels(file) {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

async function writeBoth(t, options, image = input) {
  const dir = scratch(t)
  const written = {}
  for (const [side, library] of [['sharp', sharp], ['pixelpool', pixelpoolSharp]]) {
    mkdirSync(path.join(dir, side))
    // PNG tiles: lossless, so what is compared is the pyramid, not JPEG's rounding.
    const info = await library(image).png().tile(options).toFile(path.join(dir, side, 'out.dz'))
    written[side] = { dir: path.join(dir, side), info, files: listing(path.join(dir, side)) }
  }
  return written
}

for (const [name, options] of Object.entries(cases)) {
  test(`${name}: sharp's files, names and pixels`, async (t) => {
    const { sharp: expected, pixelpool: actual } = await writeBoth(t, options)
    assert.deepEqual(actual.info, expected.info, 'info')
    assert.deepEqual(actual.files, expected.files, 'file names')
    let difference = 0
    let effect = 0
    let tiles = 0
    const { data: full, info: fullInfo } = await sharp(input).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    for (const file of expected.files) {
      const [a, b] = [path.join(expected.dir, file), path.join(actual.dir, file)]
      if (isText(file)) {
        assert.equal(readFileSync(b, 'utf8'), readFileSync(a, 'utf8'), file)
        continue
      }
      const [theirs, ours] = await Promise.all([tilePixels(a), tilePixels(b)])
      assert.deepEqual([ours.width, ours.height], [theirs.width, theirs.height], `${file} size`)
      // Full-size tiles are cut, not halved: they would dilute the measure.
      if (isFullSize(file, expected.files)) continue
      difference += meanDifference(theirs.data, ours.data)
      // The control: the top-left corner of the full-size image at the tile's size.
      const unhalved = Buffer.alloc(theirs.data.length)
      for (let y = 0; y < theirs.height; y++) {
        full.copy(unhalved, y * theirs.width * 3, y * fullInfo.width * 3, (y * fullInfo.width + theirs.width) * 3)
      }
      effect += meanDifference(theirs.data, unhalved)
      tiles++
    }
    assert.ok(tiles > 1, 'tiles written')
    assert.ok(effect / tiles > 5, `the pyramid changes the pixels (${(effect / tiles).toFixed(2)})`)
    assert.ok(difference / tiles <= effect / tiles / 20,
      `mean difference ${(difference / tiles).toFixed(3)} within ${(effect / tiles / 20).toFixed(3)}`)
  })
}

test('skipBlanks leaves out the tiles sharp leaves out, and keeps some', async (t) => {
  // A white margin as wide as the picture: its tiles are blank.
  const white = { r: 255, g: 255, b: 255, alpha: 1 }
  const margined = await sharp(input).extend({ right: 300, bottom: 100, background: white }).png().toBuffer()
  const written = await writeBoth(t, { skipBlanks: 5, size: 64 }, margined)
  const all = await writeBoth(t, { size: 64 }, margined)
  assert.ok(written.pixelpool.files.length < all.pixelpool.files.length, 'some tiles skipped')
  assert.deepEqual(written.pixelpool.files, written.sharp.files)
})

test('a zip to a file and to a Buffer hold the files sharp writes to folders', async (t) => {
  const dir = scratch(t)
  const info = await pixelpoolSharp(input).tile({ layout: 'zoomify' }).toFile(path.join(dir, 'pyramid.zip'))
  const expected = await sharp(input).tile({ layout: 'zoomify' }).toFile(path.join(dir, 'sharp.zip'))
  assert.equal(info.format, 'dz')
  assert.equal(info.size, statSync(path.join(dir, 'pyramid.zip')).size)
  assert.equal(typeof expected.size, 'number')
  const unzipped = path.join(dir, 'unzipped')
  execFileSync('python3', ['-m', 'zipfile', '-e', path.join(dir, 'pyramid.zip'), unzipped])
  const folders = path.join(dir, 'folders')
  mkdirSync(folders)
  await sharp(input).tile({ layout: 'zoomify' }).toFile(path.join(folders, 'pyramid.dz'))
  assert.deepEqual(listing(unzipped), listing(folders))

  const { data, info: bufferInfo } = await pixelpoolSharp(input).tile({ basename: 'tiles' }).toBuffer({ resolveWithObject: true })
  assert.equal(bufferInfo.size, data.length)
  writeFileSync(path.join(dir, 'buffer.zip'), data)
  execFileSync('python3', ['-m', 'zipfile', '-e', path.join(dir, 'buffer.zip'), path.join(dir, 'buffer')])
  assert.ok(listing(path.join(dir, 'buffer')).includes('tiles.dzi'))
})

test("sharp's checks at the call", () => {
  assert.throws(() => pixelpoolSharp().tile({ size: 0 }), /Expected integer between 1 and 8192 for size but received 0/)
  assert.throws(() => pixelpoolSharp().tile({ overlap: 257 }), /Expected <= size \(256\) for overlap/)
  assert.throws(() => pixelpoolSharp().tile({ layout: 'deepzoom' }), /Expected one of: dz, google, iiif, iiif3, zoomify for layout/)
  assert.throws(() => pixelpoolSharp().tiff().tile(), /Expected one of: jpeg, png, webp for format but received tiff/)
})

test("pixelpool's own job API writes a pyramid, and refuses one it cannot write", async (t) => {
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1 })
  const result = await queue.process({
    input,
    outputs: [{ path: path.join(dir, 'map'), format: 'png', tiles: { layout: 'google', size: 128 } }],
  })
  assert.equal(result.outputs[0].format, 'png')
  const files = listing(path.join(dir, 'map'))
  assert.ok(files.includes('blank.png') && files.includes(path.join('0', '0', '0.png')), files.join(' '))
  await assert.rejects(
    queue.process({ input, outputs: [{ format: 'gif', tiles: true }] }),
    (error) => error.code === 'INVALID_OPTION' && /outputs\[0\]\.tiles/.test(error.message),
  )
  await assert.rejects(
    queue.process({ input, outputs: [{ format: 'jpeg', tiles: { size: 10, overlap: 11 } }] }),
    (error) => error.code === 'INVALID_OPTION' && /tiles\.overlap/.test(error.message),
  )
  // A work budget: a tile a pixel wide on a 10 MP photo would be 13 million files.
  await assert.rejects(
    queue.process({ input: photo('budgie-colorful-wall.jpg'), outputs: [{ format: 'jpeg', tiles: { size: 1 } }] }),
    (error) => error.code === 'INPUT_TOO_LARGE' && /tiles, more than/.test(error.message),
  )
  const ok = await queue.process({ input, outputs: [{ width: 64, format: 'jpeg' }] })
  assert.equal(ok.outputs[0].width, 64, 'the queue goes on')
  await queue.close()
})
