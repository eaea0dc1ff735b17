// A real Eleventy 3 site (eleventy-img) and a real Astro 5 site, each built once with stock
// sharp and once with pixelpool-sharp through the one-line override, installed from the
// packed tarballs; Astro a third time with `pixelpool/astro` as its image service. Every
// image the built HTML references must exist, decode, and match the stock build's format
// and size. Packages come from the npm registry (scripts/sites/site.mjs pins them).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { photo, root, scratch } from './helpers.mjs'
import { writeSite, install, build, referencedImages, allExist } from '../scripts/sites/site.mjs'

const photos = ['budgie-canyon-wren.jpg', 'kodak-kodim05.png', 'exiforient-portrait-8.jpg', 'golibwebp-cosmos.webp'].map(photo)

async function describeAll(files) {
  assert.deepEqual(allExist(files), [], 'every referenced image exists')
  return Promise.all(files.map(async (file) => {
    const { format, width, height } = await sharp(file).metadata()
    return { file: path.basename(file), format, width, height }
  }))
}

function assertSameImages(actual, expected, label) {
  assert.ok(expected.length >= photos.length * 3, `${label}: the stock build references ${expected.length} images`)
  assert.equal(actual.length, expected.length, `${label}: as many images as the stock build`)
  actual.forEach((image, i) => {
    const { format, width, height } = expected[i]
    assert.deepEqual({ format: image.format, width: image.width, height: image.height }, { format, width, height }, `${label}: ${image.file}`)
  })
}

for (const tool of ['eleventy', 'astro']) {
  test(`a real ${tool} site builds with the override, images as with stock sharp`, async (t) => {
    const dir = scratch(t)
    const tarballs = execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.mjs'), dir, '--only', 'linux-x64-gnu'], { encoding: 'utf8' }).trim().split('\n')
    const stock = path.join(dir, 'stock')
    const replaced = path.join(dir, 'pixelpool')
    writeSite(tool, stock, photos)
    writeSite(tool, replaced, photos, tarballs)
    install(stock)
    install(replaced)
    const installed = JSON.parse(readFileSync(path.join(replaced, 'node_modules', 'sharp', 'package.json'), 'utf8'))
    assert.equal(installed.name, 'pixelpool-sharp', 'the override put pixelpool-sharp where sharp was')

    await build(tool, stock)
    const expected = await describeAll(referencedImages(tool, stock))
    await build(tool, replaced)
    assertSameImages(await describeAll(referencedImages(tool, replaced)), expected, `${tool} with the override`)

    if (tool === 'astro') {
      const cache = path.join(dir, 'cache')
      await build(tool, replaced, { PIXELPOOL_ASTRO_SERVICE: '1', PIXELPOOL_CACHE_DIR: cache })
      assertSameImages(await describeAll(referencedImages(tool, replaced)), expected, 'astro with pixelpool/astro')
      assert.ok(readdirSync(cache, { recursive: true }).length > 0, 'the images went through pixelpool')
    }
  })
}
