'use strict'

const path = require('node:path')
const { stat } = require('node:fs/promises')
const { PixelpoolError, schema, describe } = require('pixelpool/internal')
const { invalidParameter, unsupported, jp2Missing } = require('./errors')
const { isPlainObject } = require('./checks')
const { requestOutput } = require('./batch')
const { settle, callSite } = require('./settle')
const constants = require('./constants')
const { bandChannels } = require('./bands')
const { writesTiles } = require('./tile')
const { depths, fromEightBit } = require('./depth')
const { encoders, encoder, readOptions, setFormat, choice } = require('./encoders')

/** sharp's ApplyAlpha: contain's padding, rotate, extend and affine add alpha when their fill colour is translucent. */
function fillsTranslucent(options, input) {
  const extended = options.extendTop || options.extendBottom || options.extendLeft || options.extendRight
  const fills = [
    embeds(options, input) && options.resizeBackground,
    options.rotationAngle !== 0 && options.rotationBackground,
    extended && options.extendWith === 'background' && options.extendBackground,
    options.affineMatrix.length === 4 && options.affineBackground,
  ]
  return fills.some((fill) => fill && (fill[3] ?? 255) < 255)
}

/** Whether `fit: 'contain'` pads the resized image: its aspect is not the box's. */
function embeds(options, input) {
  const { width: boxWidth, height: boxHeight } = options
  if (options.canvas !== 'embed' || boxWidth === -1 || boxHeight === -1 || !input.width || !input.height) return false
  return input.width / input.height > boxWidth / boxHeight
    ? Math.round((input.height * boxWidth) / input.width) !== boxHeight
    : Math.round((input.width * boxHeight) / input.height) !== boxWidth
}

/**
 * Whether sharp premultiplied on the way (its `info.premultiplied`): the image had alpha
 * (composite adds it) before a resize, blur, convolution or sharpen. A resize is counted
 * when the output's size differs from the input's.
 */
function premultiplied(options, input, output) {
  const alpha = !options.flatten && (input.hasAlpha || options.composite.length > 0)
  const resizes = (options.width !== -1 || options.height !== -1) && (output.width !== input.width || output.height !== input.height)
  return alpha && (resizes || options.blurSigma !== 0 || options.convKernel !== undefined || options.sharpenSigma !== 0)
}

/** Resolves a pipeline to `{ data, info }` or `{ info }` (to a file), through the batch. */
async function produce(instance, fileOut) {
  const options = { ...instance.options, fileOut: fileOut ?? '' }
  const { output, input, textAutofitDpi } = await requestOutput(options, instance.streamedInput)
  // What the decoder read past (a file cut short, an SVG's missing references), as libvips
  // warns of it.
  for (const warning of input.warnings ?? []) instance.emit('warning', warning)
  // libvips' composite and unflatten always leave alpha; a translucent fill gives it.
  const alpha = !options.removeAlpha && (input.hasAlpha || options.ensureAlpha !== -1 || options.composite.length > 0 || options.unflatten || fillsTranslucent(options, input))
  const jpegCoded = output.format === 'jpeg' || (output.format === 'tiff' && options.tiffCompression === 'jpeg')
  const keepsAlpha = alpha && !jpegCoded && !options.flatten
  // Bands joined from other images are known once written: the output's header says.
  const joined = options.joinChannelIn.length > 0 && output.data && output.format !== 'raw' ? describe(output.data).channels : undefined
  const channels = output.format === 'raw'
    ? output.size / (output.width * output.height)
    : joined ?? bandChannels(options) ?? (options.colourspace === 'b-w' ? 1 : 3) + (keepsAlpha ? 1 : 0)
  const tiled = writesTiles(options)
  const info = {
    format: tiled ? 'dz' : output.format === 'avif' ? 'heif' : output.format,
    // sharp states no size for a pyramid in folders.
    size: tiled && output.path !== undefined && !schema.isTileZipPath(output.path) ? undefined : output.size,
    width: output.width,
    height: output.height,
    channels,
    // sharp states the sample format of raw output only.
    ...(output.format === 'raw' && { depth: options.rawDepth }),
    premultiplied: premultiplied(options, input, output),
    hasAlpha: channels === 2 || channels === 4,
  }
  if (info.size === undefined) delete info.size
  if (textAutofitDpi !== undefined) info.textAutofitDpi = textAutofitDpi
  // A strategy crop: where it starts and what it centred on.
  if (output.cropOffset) {
    const [cropOffsetLeft, cropOffsetTop] = libvipsOffsets(output.cropOffset)
    Object.assign(info, { cropOffsetLeft, cropOffsetTop, attentionX: output.attention.x, attentionY: output.attention.y })
  }
  if (options.trimThreshold >= 0) {
    const [trimOffsetLeft, trimOffsetTop] = libvipsOffsets(output.trimOffset)
    Object.assign(info, { trimOffsetLeft, trimOffsetTop })
  }
  // sharp stacks an animation's frames into one tall image and reports it so.
  if (input.pages > 1 && (output.format === 'gif' || output.format === 'webp')) {
    Object.assign(info, { height: output.height * input.pages, pageHeight: output.height, pages: input.pages })
  }
  if (output.format === 'raw' && output.data && options.rawDepth !== 'uchar') {
    const data = fromEightBit(output.data, options.rawDepth)
    return { data, info: { ...info, size: data.length } }
  }
  return { data: output.data, info }
}

const output = {
  toFormat(format, options) {
    const name = isPlainObject(format) && typeof format.id === 'string' ? format.id : format
    const method = typeof name === 'string' ? constants.formatMethods.get(name.toLowerCase()) : undefined
    if (!method) throw invalidParameter('format', `one of: ${[...constants.formatMethods.keys()].join(', ')}`, format)
    return this[method](options)
  },
  jpeg: encoder('jpeg', 'jpeg'),
  jpg: encoder('jpeg', 'jpeg'),
  png: encoder('png', 'png'),
  webp: encoder('webp', 'webp'),
  avif(options) {
    return this.heif({ ...options, compression: 'av1' })
  },
  heif(options) {
    if (!isPlainObject(options)) throw invalidParameter('options', 'Object', options)
    this.options.heifCompression = choice('av1', 'hevc')(options.compression, 'compression')
    readOptions({ ...options, compression: undefined }, encoders.avif, this.options)
    // As sharp: lossless has no 'iq' tuning.
    if (this.options.avifLossless && this.options.avifTune === 'iq') this.options.avifTune = 'ssim'
    setFormat(this, 'heif', options)
    return this
  },
  jxl(options) {
    // Quality wins over distance, as in sharp.
    readOptions(options && { ...options, distance: options.quality === undefined ? options.distance : undefined }, encoders.jxl, this.options)
    setFormat(this, 'jxl', options)
    return this
  },
  jp2() {
    throw jp2Missing()
  },
  gif: encoder('gif', 'gif'),
  tiff: encoder('tiff', 'tiff'),
  tif: encoder('tiff', 'tiff'),
  raw(options) {
    if (isPlainObject(options) && options.depth !== undefined) {
      const named = [...depths, 'complex', 'dpcomplex']
      if (!named.includes(options.depth)) throw invalidParameter('depth', `one of: ${named.join(', ')}`, options.depth)
      if (!depths.includes(options.depth)) throw unsupported(`raw({ depth: '${options.depth}' })`, 'complex samples')
      this.options.rawDepth = options.depth
    }
    this.options.formatOut = 'raw'
    return this
  },
  withMetadata(options) {
    // sharp: everything kept, pixels converted to sRGB under an sRGB profile.
    this.keepMetadata()
    this.withIccProfile('srgb')
    if (isPlainObject(options)) {
      const { orientation, density, icc, exif } = options
      if (orientation !== undefined) {
        if (!(Number.isInteger(orientation) && orientation >= 1 && orientation <= 8)) {
          throw invalidParameter('orientation', 'integer between 1 and 8', orientation)
        }
        this.options.withMetadataOrientation = orientation
      }
      if (density !== undefined) this.options.withMetadataDensity = checkDensity(density)
      if (icc !== undefined) this.withIccProfile(icc)
      if (exif !== undefined) this.withExifMerge(exif)
    }
    return this
  },
  withDensity(density) {
    this.options.withMetadataDensity = checkDensity(density)
    return this.keepExif()
  },
  withExif(exif) {
    if (!isPlainObject(exif)) throw invalidParameter('exif', 'object', exif)
    for (const [ifd, entries] of Object.entries(exif)) {
      if (!isPlainObject(entries)) throw invalidParameter(ifd, 'object', entries)
      for (const [tag, value] of Object.entries(entries)) {
        if (typeof value !== 'string') throw invalidParameter(`${ifd}.${tag}`, 'string', value)
      }
    }
    this.options.withExif = exif
    this.options.withExifMerge = false
    return this.keepExif()
  },
  withExifMerge(exif) {
    this.withExif(exif)
    this.options.withExifMerge = true
    return this
  },
  withXmp(xmp) {
    if (typeof xmp !== 'string' || xmp.length === 0) throw invalidParameter('xmp', 'non-empty string', xmp)
    this.options.withXmp = xmp
    return this.keepXmp()
  },
  keepXmp() {
    this.options.keepMetadata |= 0b00010
    return this
  },
  keepMetadata() {
    this.options.keepMetadata |= 0b11111
    return this
  },
  keepExif() {
    this.options.keepMetadata |= 0b00001
    return this
  },
  keepIccProfile() {
    this.options.keepMetadata |= 0b01000
    return this
  },
  withIccProfile(icc, options) {
    if (typeof icc !== 'string') throw invalidParameter('icc', 'string', icc)
    this.keepIccProfile()
    const attach = isPlainObject(options) ? options.attach : undefined
    if (attach !== undefined && typeof attach !== 'boolean') throw invalidParameter('attach', 'boolean', attach)
    if (attach === false) this.options.keepMetadata &= ~0b01000
    // Profiles other than sRGB are refused when the output is made (spec.js): sharp reads
    // a named profile only then too.
    this.options.withIccProfile = icc
    return this
  },
  toColourspace(space) {
    if (space === 'b-w') this.options.colourspace = 'b-w'
    else if (space === 'srgb' || space === 'rgb') this.options.colourspace = 'srgb'
    else throw unsupported(`toColourspace('${space}')`)
    return this
  },
  toColorspace(space) {
    return this.toColourspace(space)
  },
  timeout(options) {
    if (!isPlainObject(options)) throw invalidParameter('options', 'object', options)
    if (!Number.isInteger(options.seconds) || options.seconds < 0 || options.seconds > 3600) {
      throw invalidParameter('seconds', 'integer between 0 and 3600', options?.seconds)
    }
    this.options.timeoutSeconds = options.seconds
    return this
  },
  toBuffer(options, callback) {
    if (typeof options === 'function') [options, callback] = [undefined, options]
    const stack = callSite()
    const withObject = isPlainObject(options) && options.resolveWithObject === true
    const promise = produce(this).then(({ data, info }) => (withObject || callback ? [data, info] : [data]))
    const settled = settle(promise, callback, stack, this.options.input)
    if (!settled) return this
    return settled.then(([data, info]) => (withObject ? { data, info } : data))
  },
  /** sharp 0.35's: the output in a Uint8Array of its own (transferable), with its info. */
  async toUint8Array() {
    const { data, info } = await this.toBuffer({ resolveWithObject: true })
    return { data: new Uint8Array(data), info }
  },
  toFile(fileOut, callback) {
    // sharp's words, given to the callback or as the rejection, never thrown.
    let refused
    if (typeof fileOut !== 'string' || fileOut === '') {
      refused = invalidParameter('fileOut', 'non-empty string', fileOut, 'Missing output file path')
    } else if (this.options.input.file && path.resolve(this.options.input.file) === path.resolve(fileOut)) {
      refused = invalidParameter('fileOut', 'a path other than the input file', fileOut, 'Cannot use same file for input and output')
    }
    if (refused) {
      if (typeof callback !== 'function') return Promise.reject(refused)
      callback(refused)
      return this
    }
    const stack = callSite()
    const written = missingFolder(fileOut).then(() => produce(this, fileOut))
    const settled = settle(written.then(({ info }) => [info]), callback, stack, this.options.input)
    return settled ? settled.then(([info]) => info) : this
  },
}

/** Where an area starts as libvips states it (an image's offset: negated, never -0). */
function libvipsOffsets({ left = 0, top = 0 } = {}) {
  return [left ? -left : 0, top ? -top : 0]
}

/** sharp (libvips) writes into an existing folder only; pixelpool's own queue makes it. */
async function missingFolder(fileOut) {
  const folder = path.dirname(path.resolve(fileOut))
  const found = await stat(folder).catch(() => null)
  if (!found?.isDirectory()) {
    throw new PixelpoolError('IO_ERROR', `${fileOut}: unable to open for write (no folder ${folder})`, { output: fileOut })
  }
}

function checkDensity(density) {
  if (typeof density !== 'number' || !(density > 0)) throw invalidParameter('density', 'positive number', density)
  return density
}

module.exports = { output }
