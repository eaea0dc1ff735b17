'use strict'

const path = require('node:path')
const { schema } = require('pixelpool/internal')
const { invalidParameter } = require('./errors')
const { isPlainObject, integerIn } = require('./checks')
const { colourOf } = require('./geometry')

/** The choices of pixelpool's tile field `name` (lib/schema.js), in sharp's words. */
const choicesOf = (name) => schema.tiles.find((field) => field.name === name).choices
const oneOf = (value, name) => {
  const choices = choicesOf(name)
  if (typeof value !== 'string' || !choices.includes(value)) throw invalidParameter(name, `one of: ${choices.join(', ')}`, value)
  return value
}
const text = (value, name) => {
  if (typeof value !== 'string') throw invalidParameter(name, 'string', value)
  return value
}

/** sharp's `tile()`: checked at the call with sharp's messages, kept in the options. */
function tile(options) {
  const o = this.options
  if (isPlainObject(options)) {
    if (options.size !== undefined) o.tileSize = integerIn(options.size, 'size', 1, 8192)
    if (options.overlap !== undefined) {
      integerIn(options.overlap, 'overlap', 0, 8192)
      if (options.overlap > o.tileSize) throw invalidParameter('overlap', `<= size (${o.tileSize})`, options.overlap)
      o.tileOverlap = options.overlap
    }
    if (options.container !== undefined) o.tileContainer = oneOf(options.container, 'container')
    if (options.layout !== undefined) o.tileLayout = oneOf(options.layout, 'layout')
    if (options.angle !== undefined) {
      if (!Number.isInteger(options.angle) || options.angle % 90 !== 0) {
        throw invalidParameter('angle', 'positive/negative multiple of 90', options.angle)
      }
      o.tileAngle = options.angle
    }
    if (options.background !== undefined) o.tileBackground = colourOf(options.background, 'background')
    if (options.depth !== undefined) o.tileDepth = oneOf(options.depth, 'depth')
    if (options.skipBlanks !== undefined) {
      if (!Number.isInteger(options.skipBlanks) || options.skipBlanks < -1 || options.skipBlanks > 65535) {
        throw invalidParameter('skipBlanks', 'integer between -1 and 255/65535', options.skipBlanks)
      }
      o.tileSkipBlanks = options.skipBlanks
    } else if (options.layout === 'google') {
      o.tileSkipBlanks = 5
    }
    const centre = typeof options.center === 'boolean' ? options.center : options.centre
    if (centre !== undefined) {
      if (typeof centre !== 'boolean') throw invalidParameter('tileCentre', 'boolean', centre)
      o.tileCentre = centre
    }
    if (options.id !== undefined) o.tileId = text(options.id, 'id')
    if (options.basename !== undefined) o.tileBasename = text(options.basename, 'basename')
  }
  // The tiles' format is the one set before tile().
  if (schema.tileFormats.includes(o.formatOut)) o.tileFormat = o.formatOut
  else if (o.formatOut !== 'input') throw invalidParameter('format', `one of: ${schema.tileFormats.join(', ')}`, o.formatOut)
  o.formatOut = 'dz'
  return this
}

/** Whether a pipeline writes a pyramid: `tile()`, or a path sharp reads as one. */
function writesTiles(options) {
  return options.formatOut === 'dz' || /\.dzi$/i.test(options.fileOut) || schema.isTileZipPath(options.fileOut)
}

/**
 * The pixelpool output of a pyramid: its tiles' format and `tiles`, and the path it is
 * written at. A Buffer is always a zip; a zip file is `{basename}.zip` (or `.szi`) in the
 * path's folder, as libvips names it.
 */
function tileOutput(options) {
  const { fileOut } = options
  const zipSuffix = schema.isTileZipPath(fileOut) ? path.extname(fileOut) : undefined
  const container = !fileOut || zipSuffix ? 'zip' : options.tileContainer
  const basename = options.tileBasename || (fileOut ? schema.tileBasename(fileOut) : 'untitled')
  const tiles = {
    layout: options.tileLayout,
    size: options.tileSize,
    overlap: options.tileOverlap,
    angle: ((options.tileAngle % 360) + 360) % 360,
    // sharp drops the background's alpha for an image without alpha (the engine does).
    background: rgba(options.tileBackground),
    skipBlanks: options.tileSkipBlanks >= 0 ? options.tileSkipBlanks : undefined,
    centre: options.tileCentre,
    id: options.tileId,
    basename,
    container,
    ...(options.tileDepth && { depth: options.tileDepth }),
  }
  const format = options.tileFormat ?? 'jpeg'
  const written = fileOut && container === 'zip'
    ? path.join(path.dirname(fileOut), `${schema.tileBasename(fileOut)}${zipSuffix ?? '.zip'}`)
    : fileOut
  return { format, tiles, path: written || undefined }
}

/** As pixelpool's colour option takes it (alpha 0 to 1). */
const rgba = ([r, g, b, a = 255]) => ({ r, g, b, alpha: a / 255 })

module.exports = { tile, writesTiles, tileOutput }
