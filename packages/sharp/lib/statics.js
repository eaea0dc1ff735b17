'use strict'

const { concurrency, queueStats, schema } = require('pixelpool/internal')
const { queueEvents } = require('./batch')
const constants = require('./constants')
const { blend } = require('./composite')
const pixelpool = require('pixelpool/package.json')

const own = require('../package.json')
/**
 * sharp.format: sharp's table (its ids, file suffixes and aliases), each entry saying what
 * pixelpool reads and writes; sharp's heif is pixelpool's avif.
 */
const sharpFormats = [
  ['jpeg', 'jpeg', ['.jpg', '.jpeg', '.jpe', '.jfif'], ['jpe', 'jpg']],
  ['png', 'png', ['.png']],
  ['webp', 'webp', ['.webp']],
  ['tiff', 'tiff', ['.tif', '.tiff'], ['tif']],
  ['magick'], ['openslide'], ['dz'], ['ppm'], ['fits'],
  ['gif', 'gif', ['.gif']],
  ['svg', 'svg', ['.svg', '.svgz', '.svg.gz']],
  ['heif', 'avif', ['.avif'], ['avif']],
  ['pdf'], ['vips'],
  ['jp2', undefined, undefined, ['j2c', 'j2k', 'jp2', 'jpx']],
  ['jxl', 'jxl', ['.jxl']],
  ['rad'], ['dcraw'],
  ['raw', 'raw'],
]
const pixelpoolFormats = Object.fromEntries(schema.formats.map((f) => [f.name, f]))
function formatEntry([id, name, fileSuffix, alias]) {
  const { read = false, write = false } = pixelpoolFormats[name] ?? {}
  // Raw pixels come and go in memory only.
  const [inFile, outFile] = id === 'raw' ? [false, false] : [read, write]
  const input = { file: inFile, buffer: read, stream: read, ...(read && fileSuffix ? { fileSuffix } : {}) }
  const output = { file: outFile, buffer: write, stream: write, ...(alias ? { alias } : {}) }
  return [id, { id, input, output }]
}
const format = Object.fromEntries(sharpFormats.map(formatEntry))
// Tile pyramids (tile()) are written, to folders, a zip file, a Buffer or a stream.
format.dz.output = { file: true, buffer: true, stream: true }

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
    // sharp states pango's version when it can draw text; pixelpool draws it with
    // cosmic-text (crates/engine/src/text), so it names that.
    versions: { sharp: own.version, pixelpool: pixelpool.version, pango: `cosmic-text (pixelpool ${pixelpool.version})` },
    format,
    bool: constants.bool,
    blend,
    colourspace: constants.colourspace,
    colorspace: constants.colourspace,
    interpolators: constants.interpolators,
    queue: queueEvents,
    gravity: constants.gravity,
    strategy: constants.strategy,
    position: constants.positionNames,
    fit: constants.fit,
    kernel: constants.allKernels,
  })
}

module.exports = { attachStatics }
