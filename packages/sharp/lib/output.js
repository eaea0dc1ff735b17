'use strict'

const path = require('node:path')
const { stat } = require('node:fs/promises')
const { PixelpoolError, schema, describe } = require('pixelpool/internal')
const { invalidParameter, unsupported, jp2Missing } = require('./errors')
const { isPlainObject, integerIn } = require('./checks')
const { requestOutput } = require('./batch')
const { settle, callSite } = require('./settle')
const constants = require('./constants')
const { bandChannels } = require('./bands')
const { writesTiles } = require('./tile')
const { depths, fromEightBit } = require('./depth')


/** Sets `formatOut` unless `force: false`, as sharp: then only the options are kept. */
function setFormat(instance, format, options) {
  if (!(isPlainObject(options) && options.force === false)) instance.options.formatOut = format
}

function readOptions(options, fields, o) {
  if (options === undefined) return
  if (!isPlainObject(options)) throw invalidParameter('options', 'object', options)
  for (const [name, [key, check]] of Object.entries(fields)) {
    if (options[name] !== undefined) o[key] = check(options[name], name, key)
  }
}

const bool = (v, name) => {
  if (typeof v !== 'boolean') throw invalidParameter(name, 'boolean', v)
  return v
}
/** A boolean sharp sets with `_setBooleanOption`, whose message names its own key. */
const flag = (v, name, key) => bool(v, key)
const range = (min, max) => (v, name) => integerIn(v, name, min, max)
/** One of `values`, named in sharp's `words`. */
const listed = (values, words) => (v, name) => {
  if (!values.includes(v)) throw invalidParameter(name, words, v)
  return v
}
const choice = (...choices) => listed(choices, `one of: ${choices.join(', ')}`)
/** The choices of pixelpool's own output option `name` (lib/schema.js), in its order. */
const choicesOf = (name) => schema.output.find((option) => option.name === name).choices
const fraction = (v, name) => {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw invalidParameter(name, 'number between 0.0 and 1.0', v)
  return v
}
/** sharp's TIFF `xres`/`yres`: pixels per millimetre. */
const resolution = (v, name) => {
  if (typeof v !== 'number' || !(v >= 0.001 && v <= 1000000)) throw invalidParameter(name, 'number between 0.001 and 1000000', v)
  return v
}
/** sharp's `loop`: 0 (forever) to 65535. */
const loopCount = (v, name) => integerIn(v, name, 0, 65535)
/** sharp's `delay`: milliseconds, one for every frame or one per frame. */
const delays = (v, name) => {
  const valid = (d) => Number.isInteger(d) && d >= 0 && d <= 65535
  if (valid(v)) return [v]
  if (Array.isArray(v) && v.length >= 1 && v.every(valid)) return v
  throw invalidParameter(name, 'integer or an array of integers between 0 and 65535', v)
}

/** A number in [min, max], in sharp's words (`0.0` written as such). */
const numberBetween = (min, max, words = `number between ${min.toFixed(1)} and ${max.toFixed(1)}`) => (v, name) => {
  if (typeof v !== 'number' || !(v >= min && v <= max)) throw invalidParameter(name, words, v)
  return v
}

// Tuning with no counterpart here is checked as sharp checks it, then changes nothing but
// bytes (docs/sharp.md lists which); mozjpeg and optimiseScans also make JPEG progressive.
const encoders = {
  jpeg: {
    quality: ['jpegQuality', range(1, 100)], progressive: ['jpegProgressive', flag],
    chromaSubsampling: ['jpegChromaSubsampling', choice(...choicesOf('chromaSubsampling'))], mozjpeg: ['jpegMozjpeg', bool],
    trellisQuantisation: ['jpegTrellisQuantisation', flag], trellisQuantization: ['jpegTrellisQuantisation', flag], overshootDeringing: ['jpegOvershootDeringing', flag],
    optimiseScans: ['jpegOptimiseScans', flag], optimizeScans: ['jpegOptimiseScans', flag],
    optimiseCoding: ['jpegOptimiseCoding', flag], optimizeCoding: ['jpegOptimiseCoding', flag],
    quantisationTable: ['jpegQuantisationTable', range(0, 8)], quantizationTable: ['jpegQuantisationTable', range(0, 8)],
  },
  png: {
    compressionLevel: ['pngCompressionLevel', range(0, 9)], progressive: ['pngProgressive', flag],
    adaptiveFiltering: ['pngAdaptiveFiltering', flag], palette: ['pngPalette', flag], quality: ['pngQuality', range(0, 100)],
    effort: ['pngEffort', range(1, 10)], colours: ['pngColours', range(2, 256)], colors: ['pngColours', range(2, 256)],
    dither: ['pngDither', fraction],
  },
  webp: {
    quality: ['webpQuality', range(1, 100)], alphaQuality: ['webpAlphaQuality', range(0, 100)], lossless: ['webpLossless', flag],
    effort: ['webpEffort', range(0, 6)], smartSubsample: ['webpSmartSubsample', flag], smartDeblock: ['webpSmartDeblock', flag],
    preset: ['webpPreset', choice(...choicesOf('preset'))], minSize: ['webpMinSize', flag],
    mixed: ['webpMixed', flag], exact: ['webpExact', flag], nearLossless: ['webpNearLossless', flag],
    loop: ['loop', loopCount], delay: ['delay', delays],
  },
  gif: {
    colours: ['gifColours', range(2, 256)], colors: ['gifColours', range(2, 256)], effort: ['gifEffort', range(1, 10)],
    dither: ['gifDither', fraction], interFrameMaxError: ['gifInterFrameMaxError', numberBetween(0, 32)],
    interPaletteMaxError: ['gifInterPaletteMaxError', numberBetween(0, 256)], reuse: ['gifReuse', flag],
    progressive: ['gifProgressive', flag], keepDuplicateFrames: ['gifKeepDuplicateFrames', bool],
    loop: ['loop', loopCount], delay: ['delay', delays],
  },
  tiff: {
    quality: ['tiffQuality', range(1, 100)], bitdepth: ['tiffBitdepth', listed([1, 2, 4], '1, 2 or 4')],
    tile: ['tiffTile', flag], tileWidth: ['tiffTileWidth', range(1, 32768)], tileHeight: ['tiffTileHeight', range(1, 32768)],
    miniswhite: ['tiffMiniswhite', flag], pyramid: ['tiffPyramid', flag],
    xres: ['tiffXres', resolution], yres: ['tiffYres', resolution],
    // sharp also names zstd and jp2k, which its prebuilt libvips refuses when writing (as here).
    compression: ['tiffCompression', choice(...choicesOf('compression'), 'zstd', 'jp2k')],
    bigtiff: ['tiffBigtiff', flag], predictor: ['tiffPredictor', choice(...choicesOf('predictor'))],
    resolutionUnit: ['tiffResolutionUnit', choice(...choicesOf('resolutionUnit'))],
  },
  avif: {
    quality: ['avifQuality', range(1, 100)], lossless: ['avifLossless', bool], effort: ['avifEffort', range(0, 9)],
    chromaSubsampling: ['avifChromaSubsampling', choice(...choicesOf('chromaSubsampling'))],
    bitdepth: ['avifBitdepth', listed([8, 10, 12], '8, 10 or 12')],
    tune: ['avifTune', choice('auto', 'iq', 'psnr', 'ssim')],
  },
  // sharp's prebuilt libvips writes no JPEG XL; its options are still checked at the call.
  jxl: {
    quality: ['jxlDistance', (v, name) => {
      const quality = integerIn(v, name, 1, 100)
      return quality >= 30 ? 0.1 + (100 - quality) * 0.09 : (53 / 3000) * quality * quality - (23 / 20) * quality + 25
    }],
    distance: ['jxlDistance', numberBetween(0, 15)],
    decodingTier: ['jxlDecodingTier', range(0, 4)], lossless: ['jxlLossless', bool], effort: ['jxlEffort', range(1, 9)],
    loop: ['loop', loopCount], delay: ['delay', delays],
  },
}

function encoder(format, optionsOf) {
  return function (options) {
    if (format === 'png' && isPlainObject(options) && (options.quality !== undefined || options.colours !== undefined || options.colors !== undefined || options.dither !== undefined)) {
      this.options.pngPalette = options.palette !== false
    }
    readOptions(options, encoders[optionsOf], this.options)
    if (format === 'jpeg' && (options?.mozjpeg === true || options?.optimiseScans === true || options?.optimizeScans === true)) {
      this.options.jpegProgressive = true
    }
    setFormat(this, format, options)
    return this
  }
}

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
  // A strategy crop: where it starts (negated, as libvips' offsets) and what it centred on.
  if (output.cropOffset) {
    const { left, top } = output.cropOffset
    Object.assign(info, { cropOffsetLeft: left ? -left : 0, cropOffsetTop: top ? -top : 0 })
    Object.assign(info, { attentionX: output.attention.x, attentionY: output.attention.y })
  }
  if (options.trimThreshold >= 0) {
    const { left = 0, top = 0 } = output.trimOffset ?? {}
    Object.assign(info, { trimOffsetLeft: left ? -left : 0, trimOffsetTop: top ? -top : 0 })
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
