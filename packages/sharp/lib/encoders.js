'use strict'

// sharp's encoder methods' options (jpeg(), png(), webp(), gif(), tiff(), avif(), jxl()):
// each checked as sharp checks it, with sharp's words, into the pipeline's options.
const { schema } = require('pixelpool/internal')
const { invalidParameter } = require('./errors')
const { isPlainObject, integerIn } = require('./checks')

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

module.exports = { encoders, encoder, readOptions, setFormat, choice }
