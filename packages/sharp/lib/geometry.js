'use strict'

const { parseColour } = require('pixelpool/internal')
const { invalidParameter, unsupported } = require('./errors')
const { isPlainObject, isNumber, integerIn } = require('./checks')
const constants = require('./constants')

/** A colour option in sharp's words: a string, or an object or array the color module reads. */
function colourOf(value, name) {
  // sharp names every colour option 'background' in this message.
  if (typeof value !== 'string' && (value === null || typeof value !== 'object')) throw invalidParameter('background', 'object or string', value)
  for (const [key, channel] of [['r', 'red'], ['g', 'green'], ['b', 'blue']]) {
    if (isPlainObject(value) && key in value && !Number.isFinite(Number(value[key]))) throw invalidParameter(`background.${channel}`, 'number', NaN)
  }
  const parsed = parseColour(value)
  if (!parsed) {
    const what = typeof value === 'string' ? `string: ${value}` : `object: ${JSON.stringify(value)}`
    throw invalidParameter(name, 'colour', value, `Unable to parse color from ${what}`)
  }
  return parsed
}

const isRotation = (o) => o.angle % 360 !== 0 || o.rotationAngle !== 0
const isResize = (o) => o.width !== -1 || o.height !== -1

/** A resize dimension: -1 (sharp's unset) for nothing, else a positive integer. */
const dimension = (value, name) => {
  if (value === undefined || value === null) return -1
  if (!Number.isInteger(value) || value < 1 || value > 100000000) throw invalidParameter(name, 'positive integer between 1 and 100000000', value)
  return value
}

/** sharp's resize-related methods, recording into `this.options` with sharp's rules. */
const geometry = {
  resize(widthOrOptions, height, options) {
    const o = this.options
    if (isResize(o)) this.emit('warning', 'ignoring previous resize options')
    if (o.widthPost !== -1) this.emit('warning', 'operation order will be: extract, resize, extract')
    if (isPlainObject(widthOrOptions) && options === undefined) {
      options = widthOrOptions
      o.width = dimension(options.width, 'width')
      o.height = dimension(options.height, 'height')
    } else {
      o.width = dimension(widthOrOptions, 'width')
      o.height = dimension(height, 'height')
    }
    if (options) {
      if (!isPlainObject(options)) throw invalidParameter('options', 'object', options)
      if (options.fit !== undefined) {
        const canvas = constants.canvasOfFit[options.fit]
        if (!canvas) throw invalidParameter('fit', 'valid fit', options.fit)
        o.canvas = canvas
      }
      if (options.position !== undefined) {
        const position = constants.positionOf(options.position)
        if (position === undefined) throw invalidParameter('position', 'valid position/gravity/strategy', options.position)
        o.position = position
      }
      if (options.background !== undefined) o.resizeBackground = colourOf(options.background, 'background')
      if (options.kernel !== undefined) {
        if (!Object.values(constants.allKernels).includes(options.kernel)) {
          throw invalidParameter('kernel', 'valid kernel name', options.kernel)
        }
        o.kernel = options.kernel
      }
      for (const key of ['withoutEnlargement', 'withoutReduction', 'fastShrinkOnLoad']) {
        if (options[key] !== undefined) {
          if (typeof options[key] !== 'boolean') throw invalidParameter(key, 'boolean', options[key])
          o[key] = options[key]
        }
      }
    }
    if (isRotation(o) && isResize(o)) o.rotateBefore = true
    return this
  },

  extract(area) {
    const o = this.options
    if (!isPlainObject(area)) throw invalidParameter('extract', 'object { left, top, width, height }', area)
    const suffix = isResize(o) || o.widthPre !== -1 ? 'Post' : 'Pre'
    if (o[`width${suffix}`] !== -1) this.emit('warning', 'ignoring previous extract options')
    for (const name of ['left', 'top', 'width', 'height']) {
      const key = name + (name === 'left' || name === 'top' ? 'Offset' : '') + suffix
      o[key] = integerIn(area[name], name, 0, 100000000)
    }
    if (isRotation(o) && !isResize(o) && (o.widthPre === -1 || o.widthPost === -1)) o.rotateBefore = true
    return this
  },

  extend(extend) {
    const o = this.options
    if (Number.isInteger(extend) && extend >= 0) {
      o.extendTop = o.extendBottom = o.extendLeft = o.extendRight = extend
      return this
    }
    if (!isPlainObject(extend)) throw invalidParameter('extend', 'integer or object', extend)
    for (const side of ['top', 'bottom', 'left', 'right']) {
      if (extend[side] !== undefined) o[`extend${side[0].toUpperCase()}${side.slice(1)}`] = integerIn(extend[side], side, 0, 100000000)
    }
    if (extend.background !== undefined) o.extendBackground = colourOf(extend.background, 'background')
    if (extend.extendWith !== undefined) {
      if (!['background', 'copy', 'repeat', 'mirror'].includes(extend.extendWith)) {
        throw invalidParameter('extendWith', 'one of: background, copy, repeat, mirror', extend.extendWith)
      }
      o.extendWith = extend.extendWith
    }
    return this
  },

  trim(options) {
    const o = this.options
    o.trimThreshold = 10
    if (options !== undefined) {
      if (!isPlainObject(options)) throw invalidParameter('trim', 'object', options)
      if (options.background !== undefined) o.trimBackground = colourOf(options.background, 'background')
      if (options.threshold !== undefined) {
        if (typeof options.threshold !== 'number' || !(options.threshold >= 0)) throw invalidParameter('threshold', 'positive number', options.threshold)
        o.trimThreshold = options.threshold
      }
      if (options.lineArt !== undefined) {
        if (typeof options.lineArt !== 'boolean') throw invalidParameter('trimLineArt', 'boolean', options.lineArt)
        o.trimLineArt = options.lineArt
      }
      if (options.margin !== undefined) o.trimMargin = integerIn(options.margin, 'margin', 0, 10000000)
    }
    if (isRotation(o)) o.rotateBefore = true
    return this
  },

  rotate(angle, options) {
    const o = this.options
    if (angle === undefined) return this.autoOrient()
    if (o.angle || o.rotationAngle) this.emit('warning', 'ignoring previous rotate options')
    o.angle = 0
    o.rotationAngle = 0
    if (Number.isInteger(angle) && angle % 90 === 0) o.angle = ((angle % 360) + 360) % 360
    else if (typeof angle === 'number' && Number.isFinite(angle)) {
      o.rotationAngle = angle
      if (isPlainObject(options) && options.background !== undefined) o.rotationBackground = colourOf(options.background, 'background')
    } else throw invalidParameter('angle', 'numeric', angle)
    return this
  },

  affine(matrix, options) {
    const o = this.options
    const shaped = Array.isArray(matrix) &&
      ((matrix.length === 4 && matrix.every(isNumber)) ||
        (matrix.length === 2 && matrix.every((row) => Array.isArray(row) && row.length === 2)))
    const flat = shaped ? matrix.flat() : []
    if (flat.length !== 4 || !flat.every(isNumber)) throw invalidParameter('matrix', '1x4 or 2x2 array', matrix)
    o.affineMatrix = flat
    if (options === undefined) return this
    if (!isPlainObject(options)) throw invalidParameter('options', 'object', options)
    if (options.background !== undefined) o.affineBackground = colourOf(options.background, 'background')
    for (const offset of ['idx', 'idy', 'odx', 'ody']) {
      const value = options[offset]
      if (value === undefined) continue
      if (!isNumber(value)) throw invalidParameter(`options.${offset}`, 'number', value)
      o[`affine${offset[0].toUpperCase()}${offset.slice(1)}`] = value
    }
    if (options.interpolator !== undefined) {
      if (!Object.values(constants.interpolators).includes(options.interpolator)) {
        throw invalidParameter('options.interpolator', 'valid interpolator name', options.interpolator)
      }
      o.affineInterpolator = options.interpolator
    }
    return this
  },

  autoOrient() {
    this.options.input.autoOrient = true
    return this
  },

  flip(flip = true) {
    this.options.flip = Boolean(flip)
    return this
  },

  flop(flop = true) {
    this.options.flop = Boolean(flop)
    return this
  },
}

module.exports = { geometry, colourOf }
