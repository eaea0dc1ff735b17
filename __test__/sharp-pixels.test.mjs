// pixelpool-sharp against real sharp, method by method, on corpus photos: same format and
// size, pixels within a stated mean absolute difference (0-255). The bounds are what the two
// implementations' different resamplers and codecs leave (about 1-2 for a resize) plus the
// operation's own rounding; a missing or wrong operation lands far above them (an ignored
// blur or negate of a photo differs by 5 to 100).
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { photo } from './helpers.mjs'
import { compare } from './sharp/oracle.mjs'

const big = photo('budgie-canyon-wren.jpg')
const rotated = photo('exiforient-landscape-6.jpg')
let small
let alpha

before(async () => {
  small = await sharp(photo('budgie-colorful-wall.jpg')).resize(480).jpeg({ quality: 95 }).toBuffer()
  // A PNG with a gradient alpha channel, made by sharp.
  const { data, info } = await sharp(photo('kodak-kodim23.png')).resize(320).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round((((i - 3) / 4) % info.width) / info.width * 255)
  alpha = await sharp(data, { raw: info }).png().toBuffer()
})

const cases = [
  ['resize by width, JPEG', 2.5, (s) => s(big).resize(300).jpeg()],
  ['resize cover with a gravity, WebP', 2.5, (s) => s(big).resize(200, 200, { position: 'north' }).webp()],
  ['resize contain on a colour, PNG', 2.5, (s) => s(small).resize(300, 300, { fit: 'contain', background: '#ff0000' }).png()],
  ['resize inside, AVIF q80 (two AV1 encoders: about 3 each from the source)', 6, (s) => s(small).resize({ width: 240, height: 240, fit: 'inside' }).avif({ quality: 80 })],
  ['resize fill and outside', 2.5, (s) => s(small).resize(200, 90, { fit: 'fill' }).jpeg()],
  ['without enlargement', 2, (s) => s(small).resize(1000, null, { withoutEnlargement: true }).jpeg()],
  ['without reduction', 2.5, (s) => s(small).resize(100, 100, { withoutReduction: true }).jpeg()],
  ['kernel nearest', 3, (s) => s(small).resize(200, null, { kernel: 'nearest' }).png()],
  ['EXIF orientation ignored without rotate()', 2.5, (s) => s(rotated).resize(200).jpeg()],
  ['rotate() turns upright', 3, (s) => s(rotated).rotate().resize(200).jpeg()],
  ['rotate(90) then resize', 2.5, (s) => s(small).rotate(90).resize(200).jpeg()],
  ['rotate(30) before resize, on blue', 4, (s) => s(small).rotate(30, { background: '#0000ff' }).resize(200).png()],
  ['resize then rotate(-15)', 5, (s) => s(small).resize(200).rotate(-15, { background: 'white' }).png()],
  ['extract before resize', 2.5, (s) => s(small).extract({ left: 40, top: 30, width: 300, height: 200 }).resize(150).jpeg()],
  ['extract after resize', 2.5, (s) => s(small).resize(300).extract({ left: 20, top: 10, width: 200, height: 100 }).png()],
  ['extend with a background', 2, (s) => s(small).extend({ top: 10, bottom: 20, left: 5, right: 0, background: '#00ff00' }).png()],
  ['extend by mirroring', 2, (s) => s(small).resize(200).extend({ top: 12, left: 30, extendWith: 'mirror' }).png()],
  ['trim', 2, (s) => s(small).extend({ top: 30, bottom: 10, left: 20, right: 40, background: '#ffffff' }).png()],
  ['flip and flop', 2, (s) => s(small).flip().flop().png()],
  ['greyscale', 2, (s) => s(small).greyscale().jpeg()],
  ['flatten alpha on white', 2, (s) => s(alpha).flatten({ background: '#ffffff' }).png()],
  ['alpha kept through resize', 3, (s) => s(alpha).resize(160).png()],
  ['mild blur', 1.5, (s) => s(small).blur().png()],
  ['gaussian blur', 1.5, (s) => s(small).blur(3).png()],
  // libvips' integer box layers, reproduced to the sample (measured 0 with and without alpha).
  ['approximate blur', 0, (s) => s(small).blur({ sigma: 4, precision: 'approximate' }).png()],
  ['approximate blur of alpha', 0, (s) => s(alpha).blur({ sigma: 7, precision: 'approximate' }).png()],
  ['mild sharpen', 2, (s) => s(small).sharpen().png()],
  ['sharpen in L', 2, (s) => s(small).sharpen({ sigma: 1.5, m1: 1, m2: 3 }).png()],
  ['median', 1, (s) => s(small).median(5).png()],
  ['normalise', 3, (s) => s(small).normalise().png()],
  ['negate', 1, (s) => s(small).negate().png()],
  ['negate keeping alpha', 1, (s) => s(alpha).negate({ alpha: false }).png()],
  ['modulate', 3, (s) => s(small).modulate({ brightness: 1.2, saturation: 0.5, hue: 90 }).png()],
  ['modulate lightness', 3, (s) => s(small).modulate({ lightness: 10 }).png()],
  ['tint', 3, (s) => s(small).tint('#ff8800').png()],
  ['gamma', 2.5, (s) => s(small).gamma().resize(240).png()],
  ['raw output', 2.5, (s) => s(small).resize(100).raw()],
  ['raw input', 2, async (s) => s(small)],
  ['create input', 0.5, (s) => s({ create: { width: 64, height: 32, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } }).png()],
  ['PNG palette (two quantisers, dithered)', 6, (s) => s(small).resize(200).png({ palette: true, quality: 80 })],
  ['WebP input, lossless WebP', 2, (s) => s(photo('golibwebp-kinkaku.webp')).resize(200).webp({ lossless: true })],
]

for (const [name, bound, build] of cases) {
  if (name === 'raw input') continue
  test(`same as sharp: ${name} (mean difference ≤ ${bound})`, async () => {
    const { difference } = await compare(build)
    assert.ok(difference <= bound, `mean absolute difference ${difference.toFixed(3)} > ${bound}`)
  })
}

test('same as sharp: trim cuts a uniform border', async () => {
  const bordered = await sharp(small).extend({ top: 30, bottom: 10, left: 20, right: 40, background: '#ffffff' }).png().toBuffer()
  const { difference, actual } = await compare((s) => s(bordered).trim().png())
  assert.deepEqual([actual.info.width, actual.info.height], [480, 320])
  assert.ok(difference <= 2, `mean absolute difference ${difference}`)
})

test('same as sharp: raw input', async () => {
  const { data, info } = await sharp(small).raw().toBuffer({ resolveWithObject: true })
  const { difference } = await compare((s) => s(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).resize(200).png())
  assert.ok(difference <= 2, `mean absolute difference ${difference}`)
})

test('a blur that was ignored would be caught: the bound separates blurred from not', async () => {
  const { difference } = await compare((s) => (s === sharp ? s(small).blur(3).png() : s(small).png()))
  assert.ok(difference > 3, `an unblurred image differs by only ${difference}`)
})
