// pixelpool-sharp's composite against real sharp: every blend mode, placement by gravity,
// offset and tiling, several overlays at once, and overlays from a file, raw pixels and
// `create`. Each bound is measured, not picked: a twentieth of the operation's own effect
// (sharp's output against the same pipeline without the composite), so an overlay ignored,
// misplaced or blended by another mode lands far above it.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { photo, scratch } from './helpers.mjs'
import { compare, decoded, meanDifference, pixelpoolSharp } from './sharp/oracle.mjs'

const blends = [
  'clear', 'source', 'over', 'in', 'out', 'atop', 'dest-over', 'dest-in', 'dest-out', 'dest-atop', 'xor',
  'add', 'saturate', 'multiply', 'screen', 'overlay', 'darken', 'lighten', 'colour-dodge', 'colour-burn',
  'hard-light', 'soft-light', 'difference', 'exclusion',
]
let base
let overlay

before(async () => {
  // A photo with alpha falling left to right, and a smaller photo with alpha falling top to bottom.
  const withAlpha = async (file, width, across) => {
    const { data, info } = await sharp(photo(file)).resize(width).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    for (let i = 3; i < data.length; i += 4) {
      const pixel = (i - 3) / 4
      const [x, y] = [pixel % info.width, Math.floor(pixel / info.width)]
      data[i] = Math.round((across ? x / info.width : y / info.height) * 255)
    }
    return sharp(data, { raw: info }).png().toBuffer()
  }
  base = await withAlpha('budgie-colorful-wall.jpg', 240, true)
  overlay = await withAlpha('kodak-kodim23.png', 120, false)
})

/**
 * Asserts pixelpool-sharp's `build` is within a twentieth of sharp's composite effect, or,
 * for a blend that leaves the image (`dest`), no further from sharp than sharp's is from it.
 */
async function assertLikeSharp(build, withoutComposite, { leaves = false } = {}) {
  const [effect, without] = await Promise.all([
    build(sharp).png().toBuffer().then(decoded),
    withoutComposite(sharp).png().toBuffer().then(decoded),
  ])
  const control = meanDifference(effect.data, without.data)
  const { difference } = await compare((s) => build(s).png())
  if (leaves) {
    assert.ok(difference <= control, `difference ${difference.toFixed(3)} within sharp's own ${control.toFixed(3)}`)
    return
  }
  assert.ok(control > 1, `the composite changes the image (${control.toFixed(2)})`)
  assert.ok(difference <= control / 20, `difference ${difference.toFixed(3)} within ${(control / 20).toFixed(3)} (effect ${control.toFixed(2)})`)
}

for (const blend of blends) {
  test(`blend ${blend} as sharp`, async () => {
    await assertLikeSharp((s) => s(base).composite([{ input: overlay, blend, left: 40, top: 30 }]), (s) => s(base))
  })
}

test('blend dest leaves the image as sharp leaves it', async () => {
  await assertLikeSharp((s) => s(base).composite([{ input: overlay, blend: 'dest', left: 40, top: 30 }]), (s) => s(base), { leaves: true })
})

test('gravity, tiling, several overlays and a premultiplied overlay as sharp', async () => {
  const cases = [
    [{ gravity: 'southeast' }],
    [{ gravity: 'north', tile: true }],
    [{ left: 17, top: 5, tile: true, blend: 'multiply' }],
    [{ left: -30, top: 90 }],
    [{ gravity: 'west', blend: 'screen' }, { gravity: 'northeast', blend: 'dest-out' }],
    [{ gravity: 'centre', premultiplied: true, blend: 'dest-atop' }],
  ]
  for (const overlays of cases) {
    await assertLikeSharp((s) => s(base).composite(overlays.map((o) => ({ input: overlay, ...o }))), (s) => s(base))
  }
})

test('overlays from a file, raw pixels and create, on an opaque JPEG base', async (t) => {
  const pixels = await sharp(overlay).raw().toBuffer({ resolveWithObject: true })
  const file = path.join(scratch(t), 'overlay.png')
  writeFileSync(file, overlay)
  const overlays = [
    { input: file, gravity: 'south', blend: 'difference' },
    { input: pixels.data, raw: pixels.info, left: 0, top: 0 },
    { input: { create: { width: 60, height: 40, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }, gravity: 'east' },
  ]
  for (const one of overlays) {
    await assertLikeSharp((s) => s(photo('budgie-colorful-wall.jpg')).resize(320).composite([one]), (s) => s(photo('budgie-colorful-wall.jpg')).resize(320))
  }
})

test('composite parameters are checked at the call with sharp\'s words', () => {
  const image = pixelpoolSharp(photo('kodak-kodim23.png'))
  assert.throws(() => image.composite({}), /Expected array for images to composite/)
  assert.throws(() => image.composite([{ input: overlay, blend: 'nope' }]), /Expected valid blend name for blend/)
  assert.throws(() => image.composite([{ input: overlay, left: 1 }]), /Expected both left and top to be set/)
  assert.throws(() => image.composite([{ input: overlay, gravity: 9 }]), /Expected valid gravity for gravity/)
})

test('an overlay larger than the base fails that pipeline with sharp\'s message, and the queue goes on', async () => {
  const small = await sharp(overlay).resize(20).png().toBuffer()
  await assert.rejects(pixelpoolSharp(small).composite([{ input: overlay }]).png().toBuffer(), /Image to composite must have same dimensions or smaller/)
  const { info } = await pixelpoolSharp(overlay).composite([{ input: small }]).png().toBuffer({ resolveWithObject: true })
  assert.equal(info.channels, 4)
})
