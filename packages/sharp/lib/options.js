'use strict'

/**
 * The fields of sharp's `instance.options` that build tools read or assign (eleventy-img
 * reads width/height and input; gatsby-plugin-sharp reads and writes the per-format fields),
 * with sharp's names and defaults. Everything a pipeline records lives here, so `clone()`
 * is a copy of this object.
 */
function defaultOptions() {
  return {
    input: {},
    // Geometry: -1 means unset, as in sharp.
    width: -1,
    height: -1,
    canvas: 'crop',
    position: 0,
    resizeBackground: [0, 0, 0, 255],
    kernel: 'lanczos3',
    withoutEnlargement: false,
    withoutReduction: false,
    fastShrinkOnLoad: true,
    angle: 0,
    rotationAngle: 0,
    rotationBackground: [0, 0, 0, 255],
    rotateBefore: false,
    flip: false,
    flop: false,
    topOffsetPre: -1,
    leftOffsetPre: -1,
    widthPre: -1,
    heightPre: -1,
    topOffsetPost: -1,
    leftOffsetPost: -1,
    widthPost: -1,
    heightPost: -1,
    extendTop: 0,
    extendBottom: 0,
    extendLeft: 0,
    extendRight: 0,
    extendBackground: [0, 0, 0, 255],
    extendWith: 'background',
    trimThreshold: -1,
    // Operations
    flatten: false,
    flattenBackground: [0, 0, 0],
    negate: false,
    negateAlpha: true,
    medianSize: 0,
    blurSigma: 0,
    minAmpl: 0.2,
    sharpenSigma: 0,
    sharpenM1: 1,
    sharpenM2: 2,
    sharpenX1: 2,
    sharpenY2: 10,
    sharpenY3: 20,
    gamma: 0,
    gammaOut: 0,
    greyscale: false,
    normalise: false,
    normaliseLower: 1,
    normaliseUpper: 99,
    brightness: 1,
    saturation: 1,
    hue: 0,
    lightness: 0,
    tint: [-1, 0, 0, 0],
    removeAlpha: false,
    ensureAlpha: -1,
    // The output's colour space: 'srgb', or 'b-w' for one grey channel.
    colourspace: 'srgb',
    // Output
    formatOut: 'input',
    fileOut: '',
    // sharp's bits: 1 EXIF, 2 XMP, 4 IPTC, 8 ICC, 16 the rest.
    keepMetadata: 0,
    withIccProfile: '',
    withExif: {},
    withExifMerge: true,
    withXmp: '',
    withMetadataOrientation: -1,
    withMetadataDensity: 0,
    timeoutSeconds: 0,
    // An animation's timing (GIF and WebP `loop`, `delay`); unset keeps the input's.
    loop: undefined,
    delay: undefined,
    jpegQuality: 80,
    jpegProgressive: false,
    jpegChromaSubsampling: '4:2:0',
    pngProgressive: false,
    pngCompressionLevel: 6,
    pngAdaptiveFiltering: false,
    pngPalette: false,
    pngQuality: 100,
    pngEffort: 7,
    webpQuality: 80,
    webpAlphaQuality: 100,
    webpLossless: false,
    webpNearLossless: false,
    webpEffort: 4,
    gifColours: 256,
    gifEffort: 7,
    gifDither: 1,
    avifQuality: 50,
    avifLossless: false,
    avifEffort: 4,
    avifChromaSubsampling: '4:4:4',
    heifCompression: 'av1',
    tiffQuality: 80,
    tiffCompression: 'jpeg',
    tiffBigtiff: false,
    tiffPredictor: 'horizontal',
    tiffPyramid: false,
    tiffMiniswhite: false,
    tiffBitdepth: 8,
    tiffTile: false,
    tiffTileHeight: 256,
    tiffTileWidth: 256,
    tiffXres: 1.0,
    tiffYres: 1.0,
    tiffResolutionUnit: 'inch',
  }
}

/** A deep enough copy: arrays and the input descriptor are not shared between clones. */
function copyOptions(options) {
  const copy = { ...options, input: { ...options.input } }
  for (const [key, value] of Object.entries(copy)) if (Array.isArray(value)) copy[key] = [...value]
  return copy
}

module.exports = { defaultOptions, copyOptions }
