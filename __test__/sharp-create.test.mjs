// sharp({ create }) against real sharp: gaussian noise (libvips' gaussnoise) with the mean
// and spread sharp's has, pages of a created image as an animation's frames, and the pixel
// limit checked before any pixel is made. Noise is random, so it is compared by statistics:
// the bound is half of what a 10% larger sigma moves sharp's own statistics.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { pixelpoolSharp } from './sharp/oracle.mjs'

const noise = (s, channels, noise) => s({ create: { width: 256, height: 192, channels, noise: { type: 'gaussian', ...noise } } })

async function spread(pipeline) {
  const { data } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  const mean = data.reduce((sum, v) => sum + v, 0) / data.length
  const sigma = Math.sqrt(data.reduce((sum, v) => sum + (v - mean) ** 2, 0) / data.length)
  return { mean, sigma }
}

test('create.noise: the mean and spread of sharp\'s, in the bands sharp gives', async () => {
  for (const [channels, settings] of [[3, {}], [1, { mean: 200, sigma: 20 }], [4, { mean: 60, sigma: 45 }]]) {
    const expected = await spread(noise(sharp, channels, settings))
    const actual = await spread(noise(pixelpoolSharp, channels, settings))
    const wider = await spread(noise(sharp, channels, { ...settings, sigma: (settings.sigma ?? 30) * 1.1 }))
    const control = Math.abs(wider.sigma - expected.sigma)
    assert.ok(control > 1, `a 10% wider sigma is measurable (${control.toFixed(2)})`)
    assert.ok(Math.abs(actual.sigma - expected.sigma) <= control / 2, `sigma ${actual.sigma.toFixed(2)} for ${expected.sigma.toFixed(2)}`)
    assert.ok(Math.abs(actual.mean - expected.mean) <= control / 2, `mean ${actual.mean.toFixed(2)} for ${expected.mean.toFixed(2)}`)
    const info = async (s) => (await noise(s, channels, settings).png().toBuffer({ resolveWithObject: true })).info.channels
    assert.equal(await info(pixelpoolSharp), await info(sharp), `channels of ${channels}-band noise`)
  }
  const grey = await noise(pixelpoolSharp, 1, {}).toColourspace('b-w').png().toBuffer()
  assert.equal((await sharp(grey).metadata()).space, 'b-w')
})

test('create.pageHeight: the pages are an animation\'s frames, as sharp writes them', async () => {
  const pages = (s, extra) => s({ create: { width: 16, height: 64, pageHeight: 16, channels: 3, ...extra } }).gif().toBuffer()
  for (const extra of [{ noise: { type: 'gaussian' } }, { background: 'red' }]) {
    const [expected, actual] = await Promise.all([pages(sharp, extra), pages(pixelpoolSharp, extra)])
    const shape = async (gif) => {
      const { width, height, pages, delay } = await sharp(gif).metadata()
      return { width, height, pages, frames: delay.length }
    }
    assert.deepEqual(await shape(actual), await shape(expected))
  }
  // Equal pages are one frame unless kept, as cgif writes them.
  const kept = (s) => s({ create: { width: 8, height: 32, pageHeight: 8, channels: 3, background: 'blue' } }).gif({ keepDuplicateFrames: true }).toBuffer()
  const [expected, actual] = await Promise.all([kept(sharp), kept(pixelpoolSharp)])
  assert.equal((await sharp(actual).metadata()).pages, (await sharp(expected).metadata()).pages)
  assert.equal((await sharp(actual).metadata()).pages, 4)
})

test("create: sharp's checks at the call, and the pixel limit before any pixel is made", async () => {
  assert.throws(() => pixelpoolSharp({ create: {} }), /Expected valid width, height and channels to create a new input image/)
  assert.throws(() => pixelpoolSharp({ create: { width: 8, height: 8, channels: 3 } }), /Expected valid noise or background/)
  assert.throws(() => pixelpoolSharp({ create: { width: 8, height: 8, channels: 3, noise: 'gaussian' } }), /Expected noise to be an object/)
  assert.throws(() => pixelpoolSharp({ create: { width: 8, height: 8, channels: 5, noise: { type: 'gaussian' } } }), /number between 1 and 4 for create\.channels/)
  assert.throws(() => pixelpoolSharp({ create: { width: 8, height: 8, channels: 1, background: 'red' } }), /number between 3 and 4 for create\.channels/)
  assert.throws(() => pixelpoolSharp({ create: { width: 8, height: 8, channels: 4, background: 'red', pageHeight: 3 } }), /Expected create\.height 8 to be a multiple of create\.pageHeight 3/)
  const huge = { create: { width: 100000, height: 100000, channels: 4, noise: { type: 'gaussian' } } }
  await assert.rejects(pixelpoolSharp(huge).png().toBuffer(), (error) => error.code === 'INPUT_TOO_LARGE')
  await assert.rejects(pixelpoolSharp({ create: { ...huge.create, noise: undefined, background: 'red' } }).png().toBuffer(), (error) => error.code === 'INPUT_TOO_LARGE')
})

test('raw input of other depths, premultiplied or in pages, and raw output of other depths, as sharp', async () => {
  const raw = { width: 4, height: 2, channels: 3 }
  const values = Array.from({ length: 24 }, (_, i) => i * 2900)
  // 16-bit samples as sharp scales them; other depths are clipped casts (sharp 0.35.5 gives
  // zeros for those, which pixelpool does not copy).
  const sixteen = (s) => s(Uint16Array.from(values), { raw }).raw().toBuffer()
  assert.deepEqual(await sixteen(pixelpoolSharp), await sixteen(sharp))
  const float = await pixelpoolSharp(Float32Array.from([-5, 0.4, 99.6, 300, 255, 1]), { raw: { width: 2, height: 1, channels: 3 } }).raw().toBuffer()
  assert.deepEqual([...float], [0, 0, 100, 255, 255, 1])
  const depthOut = (s, depth) => s(Buffer.from(values.map((v) => v % 256)), { raw }).raw({ depth }).toBuffer({ resolveWithObject: true })
  for (const depth of ['ushort', 'float', 'char']) {
    const [expected, actual] = await Promise.all([depthOut(sharp, depth), depthOut(pixelpoolSharp, depth)])
    assert.deepEqual(actual.data, expected.data, depth)
    assert.equal(actual.info.depth, expected.info.depth)
  }
  // Premultiplied RGBA: alphas opaque, half and clear; one level of rounding allowed.
  const premultiplied = Buffer.from([200, 100, 50, 255, 100, 50, 25, 128, 0, 0, 0, 0, 60, 30, 15, 64])
  const straight = (s) => s(premultiplied, { raw: { width: 2, height: 2, channels: 4, premultiplied: true } }).raw().toBuffer()
  const [expected, actual] = await Promise.all([straight(sharp), straight(pixelpoolSharp)])
  assert.ok(actual.every((v, i) => Math.abs(v - expected[i]) <= 1), `${[...actual]} for ${[...expected]}`)
  const plain = await pixelpoolSharp(premultiplied, { raw: { width: 2, height: 2, channels: 4 } }).raw().toBuffer()
  assert.notDeepEqual(plain, actual, 'premultiplied samples are read otherwise')
  // Four distinct pages: an animation's four frames.
  const pages = Buffer.from(Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 37) % 256))
  const gif = (s) => s(pages, { raw: { width: 2, height: 8, channels: 3, pageHeight: 2 }, animated: true }).gif().toBuffer()
  const shape = async (bytes) => {
    const { width, height, pages } = await sharp(bytes).metadata()
    return { width, height, pages }
  }
  assert.deepEqual(await shape(await gif(pixelpoolSharp)), await shape(await gif(sharp)))
})
