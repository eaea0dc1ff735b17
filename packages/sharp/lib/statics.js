'use strict'

const { concurrency, queueStats } = require('pixelpool/internal')
const constants = require('./constants')
const pixelpool = require('pixelpool/package.json')

const own = require('../package.json')
const formatEntry = (id, input, output) => ({
  id,
  input: { file: input, buffer: input, stream: input },
  output: { file: output, buffer: output, stream: output },
})

/** sharp.format: what this package reads and writes. */
const format = {
  jpeg: formatEntry('jpeg', true, true),
  png: formatEntry('png', true, true),
  webp: formatEntry('webp', true, true),
  gif: formatEntry('gif', true, false),
  tiff: formatEntry('tiff', true, false),
  heif: formatEntry('heif', true, true),
  avif: formatEntry('avif', true, true),
  raw: formatEntry('raw', true, true),
  svg: formatEntry('svg', false, false),
  jxl: formatEntry('jxl', false, false),
  jp2k: formatEntry('jp2k', false, false),
}

/** Statics build tools call (Next.js stops optimising if any of these throws). */
function attachStatics(sharp) {
  let cacheSettings = { memory: 0, files: 0, items: 0 }
  Object.assign(sharp, {
    // libvips' operation cache: nothing to cache here; reports and accepts settings.
    cache(options) {
      if (options === false) cacheSettings = { memory: 0, files: 0, items: 0 }
      else if (options && typeof options === 'object') cacheSettings = { ...cacheSettings, ...options }
      return { memory: { current: 0, high: 0, max: cacheSettings.memory }, files: { current: 0, max: cacheSettings.files }, items: { current: 0, max: cacheSettings.items } }
    },
    concurrency,
    counters() {
      const stats = queueStats()
      return { queue: stats?.queued ?? 0, process: stats?.running ?? 0 }
    },
    /** The shared queue's counters (pixelpool's `queue.stats()`), decodes among them. */
    pixelpoolStats: queueStats,
    simd() {
      return true
    },
    block() {},
    unblock() {},
    versions: { sharp: own.version, pixelpool: pixelpool.version },
    format,
    interpolators: { nearest: 'nearest', bilinear: 'bilinear', bicubic: 'bicubic', locallyBoundedBicubic: 'lbb', nohalo: 'nohalo', vertexSplitQuadraticBasisSpline: 'vsqbs' },
    queue: new (require('node:events').EventEmitter)(),
    gravity: constants.gravity,
    strategy: constants.strategy,
    fit: constants.fit,
    kernel: constants.allKernels,
  })
}

module.exports = { attachStatics }
