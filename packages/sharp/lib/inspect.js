'use strict'

const { describe, imageStats, PixelpoolError } = require('pixelpool/internal')
const { settle, callSite } = require('./settle')
const { asCorruptHeader } = require('./errors')
const { jobInput, readInputFile } = require('./input')

async function inputBytes(instance) {
  const streamed = instance.streamedInput ? await instance.streamedInput : undefined
  const input = await jobInput(instance.options.input, streamed)
  return input.bytes ?? readInputFile(input.path)
}

const mediaTypes = { svg: 'image/svg+xml', avif: 'image/avif', raw: undefined }

/** sharp's `metadata()` result from the header alone, keys in sharp's order. */
function shapeMetadata(d, bytes, { fromFile, density, animated }) {
  // An SVG's size follows the density it is read at (the header is read at 72).
  if (d.format === 'svg' && density !== undefined) {
    const scaled = (size) => Math.max(1, Math.round(size * density / 72))
    d = { ...d, width: scaled(d.width), height: scaled(d.height), density }
  }
  const format = d.format === 'avif' ? 'heif' : d.format
  const metadata = { format }
  const mediaType = d.format in mediaTypes ? mediaTypes[d.format] : `image/${d.format}`
  if (mediaType) metadata.mediaType = mediaType
  if (!fromFile) metadata.size = bytes.length
  // All pages read (`pages: -1`): one tall image of the frames stacked, as libvips loads it.
  const stacked = animated && d.frames > 1
  Object.assign(metadata, {
    width: d.width,
    height: stacked ? d.height * d.frames : d.height,
    space: d.space,
    channels: d.channels,
    depth: d.depth,
  })
  const optional = {
    density: d.density,
    chromaSubsampling: d.chromaSubsampling,
    isProgressive: d.isProgressive,
    isPalette: d.isPalette,
    bitsPerSample: d.bitsPerSample,
    pages: d.pages,
    pageHeight: stacked ? d.height : undefined,
    loop: d.loopCount,
    delay: d.delay,
    pagePrimary: d.pagePrimary,
    compression: d.compression,
    resolutionUnit: d.resolutionUnit === 'in' ? 'inch' : d.resolutionUnit,
    background: d.background && (d.background.length === 3
      ? { r: d.background[0], g: d.background[1], b: d.background[2] }
      : { gray: Math.round(d.background[0] * 100 / 255) }),
    hasProfile: d.hasProfile,
    hasAlpha: d.hasAlpha,
    orientation: d.orientation,
  }
  for (const [key, value] of Object.entries(optional)) if (value !== undefined && value !== null) metadata[key] = value
  const turned = d.uprightOrientation >= 5
  metadata.autoOrient = { width: turned ? d.height : d.width, height: turned ? d.width : d.height }
  // libheif hands EXIF over without its "Exif\0\0" prefix.
  if (d.exif) metadata.exif = d.format === 'avif' ? withoutExifPrefix(d.exif) : d.exif
  if (d.icc) metadata.icc = d.icc
  if (d.iptc) metadata.iptc = d.iptc
  if (d.xmp) {
    // GLib's UTF-8 check, as sharp's: a NUL byte fails it.
    const text = d.xmp.toString('utf8')
    if (!d.xmp.includes(0) && Buffer.from(text, 'utf8').equals(d.xmp)) metadata.xmpAsString = text
    metadata.xmp = d.xmp
  }
  if (d.tifftagPhotoshop) metadata.tifftagPhotoshop = d.tifftagPhotoshop
  if (d.comments.length > 0) metadata.comments = d.comments.map(([keyword, text]) => ({ keyword, text }))
  return metadata
}

function withoutExifPrefix(exif) {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif
}

const inspect = {
  metadata(callback) {
    const stack = callSite()
    const { file, density, animated, limitInputPixels } = this.options.input
    const shape = (bytes) => {
      const described = describe(bytes, { input: file })
      // As sharp, metadata() refuses what a pipeline would refuse to decode.
      if (limitInputPixels > 0 && described.width * described.height > limitInputPixels) {
        throw new PixelpoolError('INPUT_TOO_LARGE', `input is ${described.width}x${described.height} pixels, above limitInputPixels (${limitInputPixels})`, { input: file })
      }
      return shapeMetadata(described, bytes, { fromFile: file !== undefined, density, animated })
    }
    const promise = inputBytes(this).then((bytes) => [shape(bytes)]).catch((error) => {
      throw asCorruptHeader(error, this.options.input)
    })
    return settle(promise, callback, stack, this.options.input)?.then(([metadata]) => metadata) ?? this
  },

  stats(callback) {
    const stack = callSite()
    const { file, limitInputPixels } = this.options.input
    const promise = inputBytes(this)
      .then((bytes) => imageStats(bytes, limitInputPixels, { input: file }))
      .then(({ channels, isOpaque, entropy, sharpness, dominant: [r, g, b] }) => [{
        channels, isOpaque, entropy, sharpness, dominant: { r, g, b },
      }], (error) => {
        throw asCorruptHeader(error, this.options.input)
      })
    return settle(promise, callback, stack, this.options.input)?.then(([stats]) => stats) ?? this
  },
}

module.exports = { inspect }
