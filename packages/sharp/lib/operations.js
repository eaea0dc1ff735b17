'use strict'

const { invalidParameter, unsupported } = require('./errors')
const { isPlainObject, isNumber, numberIn, integerIn } = require('./checks')
const { colourOf } = require('./geometry')


/** sharp's pixel operations; each records options that crates/engine/src/adjust runs. */
const operations = {
  flatten(options) {
    this.options.flatten = options !== false
    if (isPlainObject(options) && options.background !== undefined) {
      this.options.flattenBackground = colourOf(options.background, 'background').slice(0, 3)
    }
    return this
  },

  greyscale(greyscale = true) {
    this.options.greyscale = Boolean(greyscale)
    return this
  },

  grayscale(grayscale = true) {
    return this.greyscale(grayscale)
  },

  negate(options) {
    this.options.negate = typeof options === 'boolean' ? options : true
    if (isPlainObject(options) && 'alpha' in options) {
      if (typeof options.alpha !== 'boolean') throw invalidParameter('alpha', 'should be boolean value', options.alpha)
      this.options.negateAlpha = options.alpha
    }
    return this
  },

  median(size) {
    if (size === undefined) this.options.medianSize = 3
    else if (Number.isInteger(size) && size >= 1 && size <= 255) this.options.medianSize = size % 2 === 0 ? size + 1 : size
    else throw invalidParameter('size', 'integer between 1 and 255', size)
    return this
  },

  blur(options) {
    const o = this.options
    if (options === undefined || options === true) o.blurSigma = -1
    else if (options === false) o.blurSigma = 0
    else if (isNumber(options)) o.blurSigma = numberIn(options, 'sigma', 0.3, 1000)
    else if (isPlainObject(options)) {
      o.blurSigma = numberIn(options.sigma, 'options.sigma', 0.3, 1000)
      if (options.minAmplitude !== undefined) o.minAmpl = numberIn(options.minAmplitude, 'minAmplitude', 0.001, 1)
      if ('precision' in options && !['integer', 'float', 'approximate'].includes(options.precision)) {
        throw invalidParameter('precision', 'one of: integer, float, approximate', options.precision)
      }
      if ('precision' in options) o.blurApproximate = options.precision === 'approximate'
    } else throw invalidParameter('sigma', 'number between 0.3 and 1000', options)
    return this
  },

  sharpen(options, flat, jagged) {
    const o = this.options
    if (options === undefined) {
      o.sharpenSigma = -1
      return this
    }
    if (isNumber(options)) {
      // sharp's deprecated sharpen(sigma, flat, jagged).
      options = { sigma: options, m1: flat, m2: jagged }
    }
    if (!isPlainObject(options)) throw invalidParameter('sigma', 'number between 0.000001 and 10', options)
    o.sharpenSigma = numberIn(options.sigma, 'options.sigma', 0.000001, 10)
    const fields = { m1: ['sharpenM1', 1000000], m2: ['sharpenM2', 1000000], x1: ['sharpenX1', 1000000], y2: ['sharpenY2', 1000000], y3: ['sharpenY3', 1000000] }
    for (const [name, [key, max]] of Object.entries(fields)) {
      if (options[name] !== undefined) o[key] = numberIn(options[name], `options.${name}`, 0, max)
    }
    return this
  },

  gamma(gamma, gammaOut) {
    const o = this.options
    o.gamma = gamma === undefined ? 2.2 : numberIn(gamma, 'gamma', 1, 3)
    o.gammaOut = gammaOut === undefined ? o.gamma : numberIn(gammaOut, 'gammaOut', 1, 3)
    return this
  },

  normalise(options) {
    const o = this.options
    o.normalise = isPlainObject(options) || options === undefined ? true : Boolean(options)
    if (isPlainObject(options)) {
      if (options.lower !== undefined) o.normaliseLower = numberIn(options.lower, 'lower', 0, 99)
      if (options.upper !== undefined) o.normaliseUpper = numberIn(options.upper, 'upper', 1, 100)
      if (o.normaliseLower >= o.normaliseUpper) throw invalidParameter('range', 'lower to be less than upper', `${o.normaliseLower} >= ${o.normaliseUpper}`)
    }
    return this
  },

  normalize(options) {
    return this.normalise(options)
  },

  modulate(options) {
    if (!isPlainObject(options)) throw invalidParameter('options', 'plain object', options)
    const o = this.options
    if (options.brightness !== undefined) o.brightness = numberIn(options.brightness, 'brightness', 0, Number.MAX_VALUE)
    if (options.saturation !== undefined) o.saturation = numberIn(options.saturation, 'saturation', 0, Number.MAX_VALUE)
    if (options.hue !== undefined) {
      if (!Number.isInteger(options.hue)) throw invalidParameter('hue', 'integer', options.hue)
      o.hue = options.hue % 360
    }
    if (options.lightness !== undefined) o.lightness = numberIn(options.lightness, 'lightness', -Number.MAX_VALUE, Number.MAX_VALUE)
    return this
  },

  removeAlpha() {
    this.options.removeAlpha = true
    return this
  },

  ensureAlpha(alpha) {
    this.options.ensureAlpha = alpha === undefined ? 1 : numberIn(alpha, 'alpha', 0, 1)
    return this
  },

  clahe(options) {
    if (!isPlainObject(options)) throw invalidParameter('options', 'plain object', options)
    this.options.claheWidth = integerIn(options.width, 'width', 1, 65536)
    this.options.claheHeight = integerIn(options.height, 'height', 1, 65536)
    if (options.maxSlope !== undefined) this.options.claheMaxSlope = integerIn(options.maxSlope, 'maxSlope', 0, 100)
    return this
  },

  tint(tint) {
    this.options.tint = colourOf(tint, 'tint')
    return this
  },
}

/** sharp methods that change pixels and that the engine does not do: they throw at once. */
const missing = [
  'pipelineColourspace',
  'pipelineColorspace', 'withGainMap', 'keepGainMap',
]
for (const method of missing) {
  operations[method] = function () {
    throw unsupported(method)
  }
}

module.exports = { operations }
