'use strict'

const { describe, imageStats, captureStack } = require('pixelpool/internal')
const { settle } = require('./settle')
const { jobInput, readInputFile } = require('./input')

async function inputBytes(instance) {
  const streamed = instance.streamedInput ? await instance.streamedInput : undefined
  const input = jobInput(instance.options.input, streamed)
  return input.bytes ?? readInputFile(input.path)
}

/** sharp's `metadata()` result from the header alone. */
function shapeMetadata(d, bytes, fromFile, density) {
  // An SVG's size follows the density it is read at (the header is read at 72).
  if (d.format === 'svg' && density !== undefined) {
    const scaled = (size) => Math.max(1, Math.round(size * density / 72))
    d = { ...d, width: scaled(d.width), height: scaled(d.height), density }
  }
  const turned = d.orientation >= 5
  const metadata = {
    format: d.format === 'avif' ? 'heif' : d.format,
    width: d.width,
    height: d.height,
    space: d.channels <= 2 ? 'b-w' : 'srgb',
    channels: d.channels,
    depth: d.bits > 8 ? 'ushort' : 'uchar',
    isProgressive: d.isProgressive,
    hasProfile: d.hasProfile,
    hasAlpha: d.hasAlpha,
    autoOrient: { width: turned ? d.height : d.width, height: turned ? d.width : d.height },
  }
  if (!fromFile) metadata.size = bytes.length
  // libvips' default resolution (2.835 pixels per mm) when the file states none.
  if (d.density !== null && d.density !== undefined) metadata.density = d.density
  else if (['jpeg', 'png', 'gif', 'tiff'].includes(d.format)) metadata.density = 72
  if (d.chromaSubsampling) metadata.chromaSubsampling = d.chromaSubsampling
  if (d.orientation > 1 || d.exif) metadata.orientation = d.orientation
  if (d.pages > 1) Object.assign(metadata, { pages: d.pages, pageHeight: d.height })
  if (d.exif) metadata.exif = d.exif
  if (d.icc) metadata.icc = d.icc
  return metadata
}

const inspect = {
  metadata(callback) {
    const stack = captureStack(inspect.metadata)
    const { file, density } = this.options.input
    const promise = inputBytes(this).then((bytes) => [shapeMetadata(describe(bytes, { input: file }), bytes, file !== undefined, density)])
    return settle(promise, callback, stack)?.then(([metadata]) => metadata) ?? this
  },

  stats(callback) {
    const stack = captureStack(inspect.stats)
    const { file, limitInputPixels } = this.options.input
    const promise = inputBytes(this)
      .then((bytes) => imageStats(bytes, limitInputPixels, { input: file }))
      .then(({ channels, isOpaque, entropy, sharpness, dominant: [r, g, b] }) => [{
        channels, isOpaque, entropy, sharpness, dominant: { r, g, b },
      }])
    return settle(promise, callback, stack)?.then(([stats]) => stats) ?? this
  },
}

module.exports = { inspect }
