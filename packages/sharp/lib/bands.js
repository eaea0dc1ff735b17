'use strict'

const { invalidParameter } = require('./errors')
const { extraInput } = require('./extra-inputs')
const { integerIn } = require('./checks')
const constants = require('./constants')

const isNumber = (value) => typeof value === 'number' && !Number.isNaN(value)
const isIntegerIn = (value, min, max) => Number.isInteger(value) && value >= min && value <= max

/** A number, or an array of 1 to 1,000,000 numbers, as an array; none when undefined. */
function numbersOf(value, name) {
  if (value === undefined || value === null) return []
  if (isNumber(value)) return [value]
  if (Array.isArray(value) && value.length >= 1 && value.length <= 1000000 && value.every(isNumber)) return value
  throw invalidParameter(name, 'number or array of numbers', value)
}

const windowWidth = (width) => (width === undefined ? 1 : integerIn(width, 'width', 1, 65536))

/** sharp's bitwise operator names, checked for `name`. */
function boolOpOf(value, name) {
  if (typeof constants.bool[value] !== 'string') throw invalidParameter(name, 'one of: and, or, eor', value)
  return value
}

/**
 * sharp's per-pixel band operations (the engine's adjust/bands.rs, morph.rs and filter.rs),
 * checked as sharp checks them.
 */
const bands = {
  threshold(threshold, options) {
    if (threshold === undefined) this.options.threshold = 128
    else if (typeof threshold === 'boolean') this.options.threshold = threshold ? 128 : 0
    else this.options.threshold = integerIn(threshold, 'threshold', 0, 255)
    const object = options !== null && typeof options === 'object'
    this.options.thresholdGrayscale = !object || options.greyscale === true || options.grayscale === true
    return this
  },

  linear(a, b) {
    const defined = (value) => value !== undefined && value !== null
    if (!defined(a) && isNumber(b)) a = 1
    else if (isNumber(a) && !defined(b)) b = 0
    this.options.linearA = numbersOf(a, 'a')
    this.options.linearB = numbersOf(b, 'b')
    if (this.options.linearA.length !== this.options.linearB.length) throw new Error('Expected a and b to be arrays of the same length')
    return this
  },

  recomb(inputMatrix) {
    if (!Array.isArray(inputMatrix)) throw invalidParameter('inputMatrix', 'array', inputMatrix)
    const size = inputMatrix.length
    if (size !== 3 && size !== 4) throw invalidParameter('inputMatrix', '3x3 or 4x4 array', size)
    if (!inputMatrix.every((row) => Array.isArray(row) && row.length === size)) {
      throw invalidParameter('inputMatrix', `array of ${size} arrays of length ${size}`, inputMatrix)
    }
    const matrix = inputMatrix.flat()
    if (!matrix.every(isNumber)) throw invalidParameter('inputMatrix', 'array of numbers', matrix)
    this.options.recombMatrix = matrix
    return this
  },

  unflatten() {
    this.options.unflatten = true
    return this
  },

  dilate(width) {
    this.options.dilateWidth = windowWidth(width)
    return this
  },

  erode(width) {
    this.options.erodeWidth = windowWidth(width)
    return this
  },

  convolve(kernel) {
    const { width, height, kernel: weights } = kernel ?? {}
    const valid = kernel !== null && typeof kernel === 'object' && Array.isArray(weights) &&
      isIntegerIn(width, 3, 1001) && isIntegerIn(height, 3, 1001) && width * height === weights.length && weights.every(isNumber)
    if (!valid) throw new Error('Invalid convolution kernel')
    // sharp's defaults: the kernel's sum as the scale (at least 1), no offset.
    const scale = Number.isInteger(kernel.scale) ? kernel.scale : weights.reduce((a, b) => a + b, 0)
    this.options.convKernel = { width, height, kernel: weights, scale: Math.max(scale, 1), offset: Number.isInteger(kernel.offset) ? kernel.offset : 0 }
    return this
  },

  extractChannel(channel) {
    const named = { red: 0, green: 1, blue: 2, alpha: 3 }[channel]
    const index = named ?? channel
    if (!isIntegerIn(index, 0, 4)) throw invalidParameter('channel', 'integer or one of: red, green, blue, alpha', channel)
    this.options.extractChannel = index
    return this
  },

  boolean(operand, operator, options) {
    this.options.boolean = extraInput(operand, options)
    this.options.booleanOp = boolOpOf(operator, 'operator')
    return this
  },

  joinChannel(images, options) {
    for (const image of Array.isArray(images) ? images : [images]) this.options.joinChannelIn.push(extraInput(image, options))
    return this
  },

  bandbool(boolOp) {
    this.options.bandBoolOp = boolOpOf(boolOp, 'boolOp')
    return this
  },
}

/** The engine's band operations of a pipeline's options, with its extra inputs read. */
function bandOperations(options, extras) {
  const ops = {}
  if (extras.joinChannel.length) ops.joinChannel = extras.joinChannel
  if (extras.boolean) ops.boolean = { operand: extras.boolean, op: options.booleanOp }
  if (options.threshold) ops.threshold = { value: options.threshold, greyscale: options.thresholdGrayscale }
  if (options.dilateWidth) ops.dilate = options.dilateWidth
  if (options.erodeWidth) ops.erode = options.erodeWidth
  if (options.unflatten) ops.unflatten = true
  if (options.convKernel) ops.convolve = options.convKernel
  if (options.recombMatrix) ops.recomb = options.recombMatrix
  if (options.linearA.length) ops.linear = { a: options.linearA, b: options.linearB }
  if (options.bandBoolOp) ops.bandbool = options.bandBoolOp
  if (options.extractChannel !== -1) ops.extractChannel = options.extractChannel
  return ops
}

/** Output channels these operations decide, or undefined: one for extractChannel. */
function bandChannels(options) {
  return options.extractChannel !== -1 ? 1 : undefined
}

module.exports = { bands, bandOperations, bandChannels }
