// sharp's `entropy` and `attention` crops (libvips' smartcrop after the resize, focus.rs)
// against real sharp on corpus photos: the same crop offsets and attention point in the
// info, and the crop's pixels those of sharp's crop.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import sharp from 'sharp'
import pixelpoolSharp from '../packages/sharp/index.js'
import { corpusDir, photo } from './helpers.mjs'

const photos = readdirSync(corpusDir).sort().slice(0, 12).map(photo)
const boxes = [[200, 200], [100, 300], [320, 80]]

async function crop(s, file, [width, height], position) {
  const { data, info } = await s(file).resize(width, height, { fit: 'cover', position }).raw().toBuffer({ resolveWithObject: true })
  return { data, info }
}

/** Each pixel replaced by its left neighbour (the first column kept). */
function shiftedRight(data, { width, channels }) {
  const out = Buffer.from(data)
  for (let i = 0; i < data.length; i++) if ((i / channels | 0) % width > 0) out[i] = data[i - channels]
  return out
}

const meanDifference = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length

test('entropy crops where sharp crops, with its offsets in the info', async () => {
  for (const file of photos) {
    for (const box of boxes) {
      const [ours, theirs] = [await crop(pixelpoolSharp, file, box, 'entropy'), await crop(sharp, file, box, 'entropy')]
      const offsets = (info) => [info.cropOffsetLeft, info.cropOffsetTop, info.attentionX, info.attentionY]
      assert.deepEqual(offsets(ours.info), offsets(theirs.info), `${file} ${box}`)
      // The same window of nearly the same resize: closer than sharp's crop one pixel over.
      const shifted = shiftedRight(theirs.data, theirs.info)
      assert.ok(meanDifference(ours.data, theirs.data) < meanDifference(shifted, theirs.data), `${file} ${box}: pixels`)
    }
  }
})

test('attention centres the crop where sharp does, to within a cell of its 32 x 32 search', async () => {
  let exact = 0
  let total = 0
  for (const file of photos) {
    for (const box of boxes) {
      const [ours, theirs] = [await crop(pixelpoolSharp, file, box, 'attention'), await crop(sharp, file, box, 'attention')]
      const { width, height } = await sharp(file).resize(box[0], box[1], { fit: 'outside' }).toBuffer({ resolveWithObject: true }).then((r) => r.info)
      const cell = [Math.ceil(width / 32), Math.ceil(height / 32)]
      assert.ok(Math.abs(ours.info.cropOffsetLeft - theirs.info.cropOffsetLeft) <= cell[0], `${file} ${box}: left`)
      assert.ok(Math.abs(ours.info.cropOffsetTop - theirs.info.cropOffsetTop) <= cell[1], `${file} ${box}: top`)
      total++
      if (ours.info.cropOffsetLeft === theirs.info.cropOffsetLeft && ours.info.cropOffsetTop === theirs.info.cropOffsetTop) exact++
    }
  }
  // Measured: all 36 here on the same pixel; over other photos and boxes 3 of 58 a cell away.
  assert.ok(exact >= total * 0.85, `${exact} of ${total} crops on sharp's pixel`)
})

test('no strategy crop, and no offsets, when the resize already fits the box', async () => {
  const file = photos[0]
  const { width } = await sharp(file).metadata()
  const target = Math.round(width / 3)
  for (const s of [sharp, pixelpoolSharp]) {
    const { info } = await s(file).resize(target, null, { fit: 'cover', position: 'attention' }).toBuffer({ resolveWithObject: true })
    assert.equal(info.cropOffsetLeft, undefined)
    assert.equal(info.attentionX, undefined)
  }
})
