'use strict'

/** sharp's enumerations (its statics) and the names its methods accept. */
const gravity = { center: 0, centre: 0, north: 1, east: 2, south: 3, west: 4, northeast: 5, southeast: 6, southwest: 7, northwest: 8 }
const strategy = { entropy: 16, attention: 17 }
const bool = { and: 'and', or: 'or', eor: 'eor' }
const colourspace = { multiband: 'multiband', 'b-w': 'b-w', bw: 'b-w', cmyk: 'cmyk', srgb: 'srgb' }
const fit = { contain: 'contain', cover: 'cover', fill: 'fill', inside: 'inside', outside: 'outside' }
const allKernels = {
  nearest: 'nearest', linear: 'linear', cubic: 'cubic', mitchell: 'mitchell',
  lanczos2: 'lanczos2', lanczos3: 'lanczos3', mks2013: 'mks2013', mks2021: 'mks2021',
}
const canvasOfFit = { cover: 'crop', contain: 'embed', fill: 'ignore_aspect', inside: 'max', outside: 'min' }
/** sharp's CSS-like position names. */
const positionNames = {
  top: 1, right: 2, bottom: 3, left: 4, 'right top': 5, 'right bottom': 6, 'left bottom': 7, 'left top': 8,
}

/** sharp's format names (toFormat's, and toFile's suffixes), each with the method that selects it. */
const formatMethods = new Map([
  ['heic', 'heif'], ['heif', 'heif'], ['avif', 'avif'], ['jpeg', 'jpeg'], ['jpg', 'jpeg'], ['jpe', 'jpeg'],
  ['tile', 'tile'], ['dz', 'tile'], ['png', 'png'], ['raw', 'raw'], ['tiff', 'tiff'], ['tif', 'tiff'],
  ['webp', 'webp'], ['gif', 'gif'], ['jp2', 'jp2'], ['jpx', 'jp2'], ['j2k', 'jp2'], ['j2c', 'jp2'], ['jxl', 'jxl'],
])

/** A position (name, gravity or strategy number) as sharp's number, or undefined. */
function positionOf(value) {
  if (typeof value === 'number') return [...Object.values(gravity), ...Object.values(strategy)].includes(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  return positionNames[value] ?? gravity[value] ?? strategy[value]
}

/** sharp.interpolators: libvips' names (crates/engine/src/adjust/interpolate.rs). */
const interpolators = Object.freeze({
  nearest: 'nearest',
  bilinear: 'bilinear',
  bicubic: 'bicubic',
  locallyBoundedBicubic: 'lbb',
  nohalo: 'nohalo',
  vertexSplitQuadraticBasisSpline: 'vsqbs',
})

module.exports = { interpolators, gravity, strategy, bool, colourspace, fit, allKernels, canvasOfFit, positionNames, positionOf, formatMethods }
