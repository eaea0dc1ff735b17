// Inputs written by another encoder (sharp's libvips, libheif, libtiff), decoded by
// pixelpool and compared with sharp's own decode of the same file.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { createQueue } from '../index.mjs'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { photo, root } from './helpers.mjs'

/** Mean of each colour channel of an encoded image, decoded by sharp into sRGB. */
async function means(encoded) {
  const { data, info } = await sharp(encoded).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true })
  const { channels } = await sharp(data, { raw: info }).stats()
  return channels.slice(0, 3).map((c) => c.mean)
}

const worst = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])))

/** Decodes `input` with pixelpool into a lossless PNG of the same size. */
async function ours(queue, input) {
  const { outputs, input: info } = await queue.process({ input, outputs: [{ format: 'png', compressionLevel: 1 }] })
  return { png: outputs[0].data, info }
}

test('AVIF from libheif/aom: 8-bit and 10-bit, with and without alpha, 4:2:0 and 4:4:4', async () => {
  const queue = createQueue()
  const source = await sharp(photo('kodak-kodim23.png')).resize(256).toBuffer()
  const withAlpha = await sharp(source).ensureAlpha().composite([{
    input: Buffer.from('<svg width="256" height="171"><circle cx="128" cy="85" r="60" fill="#fff"/></svg>'),
    blend: 'dest-in',
  }]).png().toBuffer()
  const cases = [
    ['4:2:0', await sharp(source).avif({ quality: 80 }).toBuffer()],
    ['4:4:4', await sharp(source).avif({ quality: 80, chromaSubsampling: '4:4:4' }).toBuffer()],
    ['10-bit', await sharp(source).avif({ quality: 80, bitdepth: 10 }).toBuffer()],
    ['lossless', await sharp(source).avif({ lossless: true }).toBuffer()],
    ['alpha', await sharp(withAlpha).avif({ quality: 80 }).toBuffer()],
  ]
  for (const [name, avif] of cases) {
    const { png, info } = await ours(queue, avif)
    assert.equal(info.format, 'avif', name)
    assert.deepEqual([info.width, info.height], [256, 171], name)
    assert.equal(info.hasAlpha, name === 'alpha', name)
    const theirs = await sharp(avif).raw().toBuffer({ resolveWithObject: true })
    const mine = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    assert.equal(mine.info.channels, theirs.info.channels, `${name}: channels`)
    let total = 0
    for (let i = 0; i < mine.data.length; i++) total += Math.abs(mine.data[i] - theirs.data[i])
    const meanDifference = total / mine.data.length
    assert.ok(meanDifference < 2, `${name}: mean difference from sharp's decode ${meanDifference}`)
  }
  await queue.close()
})

test('TIFF from libtiff: 8 and 16 bit, RGB, RGBA and grey; LZW, deflate and JPEG', async () => {
  const queue = createQueue()
  const source = sharp(photo('kodak-kodim03.png')).resize(200)
  const cases = [
    ['rgb lzw', await source.clone().tiff({ compression: 'lzw' }).toBuffer(), 3],
    ['rgba deflate', await source.clone().ensureAlpha(0.5).tiff({ compression: 'deflate' }).toBuffer(), 4],
    ['grey', await source.clone().toColourspace('b-w').tiff({ compression: 'lzw' }).toBuffer(), 1],
    ['16-bit', await source.clone().toColourspace('rgb16').tiff({ compression: 'deflate' }).toBuffer(), 3],
    ['jpeg-in-tiff', await source.clone().tiff().toBuffer(), 3],
    ['16-bit grey', await source.clone().toColourspace('grey16').tiff({ compression: 'lzw' }).toBuffer(), 1],
  ]
  for (const [name, tiff] of cases) {
    const { png, info } = await ours(queue, tiff)
    assert.equal(info.format, 'tiff', name)
    const { channels, depth } = await sharp(tiff).metadata()
    assert.equal(channels, name.includes('grey') ? 1 : name.includes('rgba') ? 4 : 3, `${name}: the input is what it says`)
    if (name.includes('16')) assert.equal(depth, 'ushort', name)
    assert.equal(info.hasAlpha, name.includes('rgba'), name)
    assert.ok(worst(await means(png), await means(tiff)) < 1, `${name}: channel means ${await means(png)} vs ${await means(tiff)}`)
  }
  await queue.close()
})

test('CMYK JPEGs: with a press profile, as sharp; without one, the right hues', async () => {
  const queue = createQueue()
  const patches = [
    ['red', { r: 200, g: 60, b: 40 }],
    ['teal', { r: 30, g: 150, b: 140 }],
    ['grey', { r: 128, g: 128, b: 128 }],
  ]
  for (const [name, colour] of patches) {
    const patch = sharp({ create: { width: 32, height: 32, channels: 3, background: colour } })
    // libvips writes Adobe-style (inverted) CMYK, here with its press profile embedded.
    const profiled = await patch.clone().withIccProfile('cmyk').jpeg({ quality: 95 }).toBuffer()
    assert.equal((await sharp(profiled).metadata()).space, 'cmyk')
    const converted = await means((await ours(queue, profiled)).png)
    const reference = await means(profiled)
    // moxcms and sharp's LittleCMS read the profile's tables differently near the gamut
    // edge (up to 30 levels); moxcms lands nearer the colour the file was made from.
    const wanted = [colour.r, colour.g, colour.b]
    assert.ok(worst(converted, wanted) < 16, `${name}: ${converted} vs ${wanted}`)
    assert.ok(worst(converted, reference) < 32, `${name}: ${converted} vs sharp's ${reference}`)

    const bare = await patch.clone().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer()
    assert.equal((await sharp(bare).metadata()).icc, undefined)
    // Without a profile the conversion is naive (sharp falls back to a press profile): the
    // hue survives, saturated colours come out brighter.
    const naive = await means((await ours(queue, bare)).png)
    assert.ok(worst(naive, wanted) < 70, `${name} without a profile: ${naive} vs ${wanted}`)
    const order = (rgb) => [0, 1, 2].sort((a, b) => rgb[b] - rgb[a]).join()
    if (name !== 'grey') assert.equal(order(naive), order(wanted), `${name}: hue kept`)
  }
  await queue.close()
})

test('16-bit grey with alpha PNGs come out at 8 bits with their alpha', async () => {
  const queue = createQueue()
  const png = await sharp(photo('kodak-kodim05.png')).resize(120).greyscale().ensureAlpha(0.25).toColourspace('grey16').png().toBuffer()
  const meta = await sharp(png).metadata()
  assert.deepEqual([meta.depth, meta.channels], ['ushort', 2])
  const { info, png: out } = await ours(queue, png)
  assert.equal(info.hasAlpha, true)
  const stats = await sharp(out).stats()
  assert.ok(Math.abs(stats.channels.at(-1).mean - 64) < 1.5, `alpha mean ${stats.channels.at(-1).mean}`)
  assert.ok(worst(await means(out), await means(png)) < 1)
  await queue.close()
})

test('animated WebP and GIF: the first frame', async () => {
  const queue = createQueue()
  const frame = (r, g, b) => sharp({ create: { width: 40, height: 30, channels: 4, background: { r, g, b, alpha: 1 } } }).png().toBuffer()
  const frames = [await frame(255, 0, 0), await frame(0, 0, 255), await frame(0, 255, 0)]
  for (const format of ['webp', 'gif']) {
    const animation = await sharp(frames, { join: { animated: true } })[format]().toBuffer()
    assert.equal((await sharp(animation, { animated: true }).metadata()).pages, 3, format)
    const { png, info } = await ours(queue, animation)
    assert.deepEqual([info.format, info.width, info.height], [format, 40, 30])
    const [r, g, b] = await means(png)
    assert.ok(r > 240 && g < 15 && b < 15, `${format}: first frame is red, got ${r} ${g} ${b}`)
  }
  await queue.close()
})

// sharp 0.35.5's prebuilt libvips reads no JPEG XL (sharp.format.jxl.input is false): the
// oracle is the lossless file's source PNG (crates/engine/tests/jxl/README.md).
test('JPEG XL through the queue: a lossless file gives its source pixels, by path and by Buffer', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const fixtures = path.join(root, 'crates', 'engine', 'tests', 'jxl')
  const expected = await sharp(path.join(fixtures, 'small.png')).raw().toBuffer()
  for (const input of [path.join(fixtures, 'small.jxl'), readFileSync(path.join(fixtures, 'small.jxl'))]) {
    const { png, info } = await ours(queue, input)
    assert.deepEqual(info, { format: 'jxl', width: 96, height: 64, orientation: 1, hasAlpha: false, pages: 1, warnings: [] })
    assert.ok((await sharp(png).raw().toBuffer()).equals(expected), 'same pixels as the source PNG')
  }
})
