'use strict'

const path = require('node:path')
const { schema } = require('pixelpool/internal')
const { unsupported, jp2Missing, PixelpoolError } = require('./errors')
const { formatMethods } = require('./constants')
const { bandOperations } = require('./bands')
const { writesTiles, tileOutput } = require('./tile')

/** sharp's `canvas` names (set by `fit`) as pixelpool's fits. */
const fitOfCanvas = { crop: 'cover', embed: 'contain', ignore_aspect: 'fill', max: 'inside', min: 'outside' }
/** The formats pixelpool writes, by sharp's `formatOut` (sharp's heif is AVIF here). */
const writable = { ...schema.formatNames, heif: 'avif' }

const rgba = ([r, g, b, a = 255]) => ({ r, g, b, a })
const colour = ([r, g, b, a = 255]) => ({ r, g, b, alpha: a / 255 })
const isSet = (value) => value !== -1

const extensions = { jpg: 'jpeg', jpe: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'heif', heic: 'heif', heif: 'heif', gif: 'gif', tif: 'tiff', tiff: 'tiff' }

/**
 * The output format of a pipeline: its `formatOut`; when it names none, the extension of
 * `toFile`'s path, else the input's format (as sharp).
 */
function outputFormat(options, inputFormat) {
  const suffix = options.fileOut && path.extname(options.fileOut).slice(1).toLowerCase()
  if (options.formatOut === 'input' && formatMethods.get(suffix) === 'jp2') throw jp2Missing()
  const extension = suffix && extensions[suffix]
  // sharp writes an SVG input as PNG when asked for the input's format.
  const fromInput = inputFormat === 'svg' ? 'png' : inputFormat
  const wanted = options.formatOut !== 'input' ? options.formatOut : (extension || fromInput)
  const format = writable[wanted]
  if (!format) throw unsupported(`${wanted} output`, 'pixelpool-sharp writes jpeg, png, webp, gif, avif (heif with av1), tiff and raw')
  if (wanted === 'heif' && options.heifCompression !== 'av1') throw unsupported(`heif({ compression: '${options.heifCompression}' })`, 'only av1')
  if (wanted === 'heif' && options.avifBitdepth !== 8) throw unsupported(`avif({ bitdepth: ${options.avifBitdepth} })`, 'AVIF is written at 8 bits')
  return format
}

function encoderOptions(options, format) {
  switch (format) {
    case 'jpeg':
      return {
        quality: options.jpegQuality,
        progressive: options.jpegProgressive,
        chromaSubsampling: options.jpegChromaSubsampling,
        optimiseCoding: options.jpegOptimiseCoding,
      }
    case 'png': {
      // sharp's bits from `colours`: the next power of two of the bits they need.
      const bitdepth = 1 << (32 - Math.clz32(Math.ceil(Math.log2(options.pngColours)) - 1))
      const common = {
        compressionLevel: options.pngCompressionLevel,
        bitdepth,
        progressive: options.pngProgressive,
        // Unset, pixelpool's schema default (adaptive) applies: smaller photos.
        adaptiveFiltering: options.pngAdaptiveFiltering,
      }
      return options.pngPalette ? { ...common, palette: true, quality: options.pngQuality } : common
    }
    case 'webp':
      return {
        quality: options.webpQuality,
        lossless: options.webpLossless,
        effort: options.webpEffort,
        alphaQuality: options.webpAlphaQuality,
        smartSubsample: options.webpSmartSubsample,
        smartDeblock: options.webpSmartDeblock,
        preset: options.webpPreset,
        exact: options.webpExact,
        nearLossless: options.webpNearLossless,
      }
    case 'gif':
      return {
        colours: options.gifColours,
        effort: options.gifEffort,
        dither: options.gifDither,
        keepDuplicateFrames: options.gifKeepDuplicateFrames,
        progressive: options.gifProgressive,
        interFrameMaxError: options.gifInterFrameMaxError,
        interPaletteMaxError: options.gifInterPaletteMaxError,
      }
    case 'avif':
      return {
        quality: options.avifQuality,
        lossless: options.avifLossless,
        effort: Math.min(options.avifEffort, 9),
        chromaSubsampling: options.avifChromaSubsampling,
      }
    case 'tiff':
      return tiffOptions(options)
    default:
      return {}
  }
}

/** sharp's TIFF options; `withMetadata({ density })` sets the resolution unless xres/yres do. */
function tiffOptions(options) {
  const { tiffCompression: compression } = options
  if (compression === 'zstd' || compression === 'jp2k') {
    // sharp's prebuilt libvips refuses these too, when the output is written.
    throw unsupported(`tiff({ compression: '${compression}' })`, 'none, jpeg, deflate, packbits, ccittfax4, lzw and webp are written')
  }
  let { tiffXres: xres, tiffYres: yres } = options
  if (xres === 1 && yres === 1 && options.withMetadataDensity > 0) xres = yres = options.withMetadataDensity / 25.4
  return {
    quality: options.tiffQuality,
    compression,
    predictor: options.tiffPredictor,
    pyramid: options.tiffPyramid,
    tile: options.tiffTile,
    tileWidth: options.tiffTileWidth,
    tileHeight: options.tiffTileHeight,
    xres,
    yres,
    resolutionUnit: options.tiffResolutionUnit,
    bitdepth: options.tiffBitdepth,
    miniswhite: options.tiffMiniswhite,
    bigtiff: options.tiffBigtiff,
  }
}

/** What the output writes of its own: withExif, withXmp, keepXmp, density, orientation, sRGB. */
function metadataWrites(options) {
  const writes = {
    keepExif: (options.keepMetadata & 0b00001) !== 0,
    keepXmp: (options.keepMetadata & 0b00010) !== 0,
    srgbProfile: options.withIccProfile === 'srgb' && (options.keepMetadata & 0b01000) !== 0,
  }
  if (Object.keys(options.withExif).length > 0) {
    writes.exif = options.withExif
    writes.replaceExif = !options.withExifMerge
  }
  if (options.withXmp) writes.xmp = options.withXmp
  if (options.withMetadataDensity > 0) writes.density = options.withMetadataDensity
  if (options.withMetadataOrientation > 0) writes.orientation = options.withMetadataOrientation
  return writes
}

/** The pre/post `extract` areas, the non-90 rotation, and the other operations, in the engine's shape. */
function operations(options, format, extras) {
  const ops = {
    // sharp writes sRGB, grey as three channels, unless toColourspace('b-w'); raw output
    // keeps grey one channel only after greyscale().
    rgbOutput: options.colourspace !== 'b-w' && !(format === 'raw' && options.greyscale),
    greyOutput: options.colourspace === 'b-w',
    ignoreOrientation: !options.input.autoOrient,
    kernel: options.kernel,
    withoutReduction: options.withoutReduction,
    // sharp turns by a right angle after the resize unless rotate() came before it.
    turnAfterResize: !options.rotateBefore && options.angle % 180 !== 0,
    // keepIccProfile (or keepMetadata) without withMetadata's or withIccProfile's sRGB.
    keepIcc: (options.keepMetadata & 0b01000) !== 0 && options.withIccProfile !== 'srgb',
  }
  if (options.rotationAngle !== 0) {
    ops.angle = { degrees: options.rotationAngle, background: rgba(options.rotationBackground), beforeResize: options.rotateBefore }
  }
  const area = (suffix) => ({
    left: options[`leftOffset${suffix}`], top: options[`topOffset${suffix}`], width: options[`width${suffix}`], height: options[`height${suffix}`],
  })
  if (isSet(options.widthPre)) {
    ops.extractBefore = area('Pre')
    ops.extractBeforeTurning = !options.rotateBefore
  }
  if (isSet(options.widthPost)) ops.extractAfter = area('Post')
  if (options.affineMatrix.length === 4) {
    const { affineMatrix: matrix, affineIdx: idx, affineIdy: idy, affineOdx: odx, affineOdy: ody } = options
    ops.affine = { matrix, idx, idy, odx, ody, background: rgba(options.affineBackground), interpolator: options.affineInterpolator }
  }
  if (options.gamma) ops.gamma = { exponent: options.gamma, exponentOut: options.gammaOut || options.gamma }
  if (options.flatten) ops.flatten = rgba(options.flattenBackground)
  const { extendTop: top, extendBottom: bottom, extendLeft: left, extendRight: right } = options
  if (top || bottom || left || right) {
    ops.extend = { top, bottom, left, right, with: options.extendWith, background: rgba(options.extendBackground) }
  }
  if (options.medianSize) ops.median = options.medianSize
  if (options.blurSigma === -1) ops.blur = 'mild'
  else if (options.blurSigma > 0) {
    const kind = options.blurApproximate ? 'approximate' : 'gaussian'
    ops.blur = { [kind]: { sigma: options.blurSigma, minAmplitude: options.minAmpl } }
  }
  const { brightness, saturation, hue, lightness } = options
  if (brightness !== 1 || saturation !== 1 || hue !== 0 || lightness !== 0) ops.modulate = { brightness, saturation, hue, lightness }
  if (options.sharpenSigma === -1) ops.sharpen = 'mild'
  else if (options.sharpenSigma > 0) {
    const { sharpenSigma: sigma, sharpenM1: m1, sharpenM2: m2, sharpenX1: x1, sharpenY2: y2, sharpenY3: y3 } = options
    ops.sharpen = { luminance: { sigma, m1, m2, x1, y2, y3 } }
  }
  if (extras.composite.length) ops.composite = extras.composite
  Object.assign(ops, bandOperations(options, extras))
  if (options.normalise) ops.normalise = { lower: options.normaliseLower, upper: options.normaliseUpper }
  if (options.claheWidth && options.claheHeight) {
    ops.clahe = { width: options.claheWidth, height: options.claheHeight, maxSlope: options.claheMaxSlope }
  }
  if (options.tint[0] >= 0) ops.tint = rgba(options.tint)
  if (options.negate) ops.negate = { alpha: options.negateAlpha }
  if (options.removeAlpha) ops.alpha = 'remove'
  else if (options.ensureAlpha !== -1) ops.alpha = { ensure: Math.trunc(options.ensureAlpha * 255) } // libvips casts 127.5 to 127
  if (options.loop !== undefined || options.delay !== undefined) ops.timing = { loopCount: options.loop, delays: options.delay }
  return ops
}

/** sharp stacks an animation's pages into one tall image, which it turns only by 180°. */
const turnsAnimation = (options) => options.input.animated === true && (options.angle % 180 !== 0 || options.rotationAngle !== 0)

/**
 * One pixelpool output for one sharp pipeline. `input` is the described header, needed
 * when the output's format is the input's; `extras` its other images, read (extra-inputs.js).
 */
function outputSpec(options, input, extras = { composite: [], joinChannel: [] }) {
  if (options.withIccProfile !== '' && options.withIccProfile !== 'srgb') {
    throw unsupported(`withIccProfile('${options.withIccProfile}')`, 'outputs are sRGB')
  }
  if (turnsAnimation(options) && input?.pages > 1) {
    throw new PixelpoolError('UNSUPPORTED_OPERATION', 'Rotate is not supported for multi-page images', { option: 'rotate' })
  }
  const tiled = writesTiles(options) ? tileOutput(options) : undefined
  const format = tiled?.format ?? outputFormat(options, input?.format)
  const spec = {
    format,
    width: isSet(options.width) ? options.width : undefined,
    height: isSet(options.height) ? options.height : undefined,
    fit: fitOfCanvas[options.canvas],
    position: options.position,
    background: colour(options.resizeBackground),
    withoutEnlargement: options.withoutEnlargement,
    fastShrinkOnLoad: options.fastShrinkOnLoad,
    rotate: options.angle,
    flip: options.flip,
    flop: options.flop,
    grayscale: options.greyscale,
    // sharp keeps each kind on its own (metadataWrites, operations' keepIcc).
    keepMetadata: false,
    metadata: metadataWrites(options),
    operations: operations(options, format, extras),
    ...encoderOptions(options, format),
  }
  if (options.trimThreshold >= 0) {
    const { trimThreshold: threshold, trimBackground: background, trimLineArt: lineArt, trimMargin: margin } = options
    spec.trim = { threshold, lineArt, margin, ...(background && { background: colour(background) }) }
  }
  // JPEG has no alpha: sharp flattens onto black unless told otherwise.
  const jpegCoded = format === 'jpeg' || (format === 'tiff' && options.tiffCompression === 'jpeg')
  if (jpegCoded && !options.flatten) spec.background = colour([0, 0, 0, 255])
  if (tiled) spec.tiles = tiled.tiles
  const written = tiled ? tiled.path : options.fileOut
  if (written) spec.path = written
  return spec
}

module.exports = { outputSpec, outputFormat, fitOfCanvas, turnsAnimation }
