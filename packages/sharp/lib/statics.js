'use strict'

const { concurrency, queueStats, schema } = require('pixelpool/internal')
const constants = require('./constants')
const pixelpool = require('pixelpool/package.json')

const own = require('../package.json')
const formatEntry = (id, input, output) => ({
  id,
  input: { file: input, buffer: input, stream: input },
  output: { file: output, buffer: output, stream: output },
})

/** sharp.format: what this package reads and writes (pixelpool's formats, and heif as avif). */
const format = Object.fromEntries(schema.formats.map((f) => [f.name, formatEntry(f.name, f.read, f.write)]))
format.heif = formatEntry('heif', format.avif.input.file, format.avif.output.file)
for (const name of ['jp2k']) format[name] = formatEntry(name, false, false)

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
    position: constants.positionNames,
    fit: constants.fit,
    kernel: constants.allKernels,
  })
}

module.exports = { attachStatics }
