'use strict'

/**
 * What pixelpool-sharp (packages/sharp) and the Astro service build on, beyond the public
 * API: the shared queue, header-only description, statistics, the raw-input container,
 * text input, sharp-style colours, option errors and the option schema (its formats).
 * Not a public API: it follows pixelpool-sharp, which pins this package's exact version.
 */
const native = require('./native')
const { parseColour } = require('./colour')
const { PixelpoolError, captureStack, withCallerStack, fromNative, fromNativeThrow } = require('./errors')
const { invalidOption, DEFAULT_LIMIT_INPUT_PIXELS } = require('./validate')
const { sharedQueue, concurrency, queueStats } = require('./shared-queue')
const schema = require('./schema')
const { textInput } = require('./text')

function describe(bytes, context) {
  try {
    return native.describe(bytes)
  } catch (error) {
    throw fromNativeThrow(error, context)
  }
}

/** Gaussian noise samples (libvips' gaussnoise), made off the JS thread. */
async function noiseSamples(width, height, channels, { mean, sigma }, limitInputPixels) {
  const { samples, error } = await native.noiseSamples(width, height, channels, mean, sigma, limitInputPixels)
  if (error) throw fromNative(error, { option: 'create.noise' })
  return samples
}

async function imageStats(bytes, limitInputPixels, context) {
  const { stats, error } = await native.imageStats(bytes, limitInputPixels)
  if (error) throw fromNative(error, context)
  return stats
}

module.exports = {
  sharedQueue,
  concurrency,
  queueStats,
  describe,
  imageStats,
  rawInput: native.rawInput,
  joinInput: native.joinInput,
  noiseSamples,
  textInput,
  parseColour,
  invalidOption,
  PixelpoolError,
  captureStack,
  withCallerStack,
  DEFAULT_LIMIT_INPUT_PIXELS,
  schema,
}
