'use strict'

const { rawInput, noiseSamples, joinInput, parseColour, PixelpoolError } = require('pixelpool/internal')
const { invalidParameter } = require('./errors')
const { isPlainObject } = require('./checks')

/**
 * `{ create: { width, height, channels, background | noise, pageHeight } }`: a new image of
 * one colour (3 or 4 channels) or of gaussian noise (1 to 4), checked with sharp's messages;
 * `pageHeight` below the height makes the pages of an animation.
 */
function createOptions(create) {
  const side = (value) => Number.isInteger(value) && value >= 1 && value <= 100000000
  if (!isPlainObject(create) || !side(create.width) || !side(create.height) || !Number.isInteger(create.channels)) {
    throw invalidParameter('create', 'width, height and channels', create, 'Expected valid width, height and channels to create a new input image')
  }
  const { width, height, channels } = create
  const options = { width, height, channels, pageHeight: height }
  if (create.pageHeight !== undefined) options.pageHeight = pageHeightOf(create.pageHeight, height, 'create')
  if (create.noise !== undefined) {
    const { noise } = create
    if (!isPlainObject(noise)) throw invalidParameter('create.noise', 'object', noise, 'Expected noise to be an object')
    if (noise.type !== 'gaussian') throw invalidParameter('create.noise.type', 'gaussian', noise.type, 'Only gaussian noise is supported at the moment')
    if (channels < 1 || channels > 4) throw invalidParameter('create.channels', 'number between 1 and 4', channels)
    const amount = (value, name, fallback) => {
      if (value === undefined) return fallback
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10000) throw invalidParameter(name, 'number between 0 and 10000', value)
      return value
    }
    // libvips' gaussnoise defaults.
    options.noise = { mean: amount(noise.mean, 'create.noise.mean', 128), sigma: amount(noise.sigma, 'create.noise.sigma', 30) }
  } else if (create.background !== undefined) {
    if (channels < 3 || channels > 4) throw invalidParameter('create.channels', 'number between 3 and 4', channels)
    options.background = parseColour(create.background)
    if (!options.background) throw invalidParameter('create.background', 'colour', create.background)
  } else {
    throw invalidParameter('create', 'noise or background', create, 'Expected valid noise or background to create a new input image')
  }
  return options
}

/** The job input bytes of a created image: a raw input, or a join of its pages (an animation). */
async function createdBytes(create, limitInputPixels) {
  const { width, height, channels, pageHeight, noise, background } = create
  if (width * height > limitInputPixels) {
    throw new PixelpoolError('INPUT_TOO_LARGE', `create of ${width}x${height} is above limitInputPixels (${limitInputPixels})`, { option: 'create' })
  }
  const samples = noise
    ? await noiseSamples(width, height, channels, noise, limitInputPixels)
    : Buffer.alloc(width * height * channels).fill(Buffer.from(background.slice(0, channels)))
  return pixelsInput(samples, { width, height, channels, pageHeight }, limitInputPixels)
}

/**
 * Raw samples as one input: a raw input, or with `pageHeight` below the height the pages of
 * an animation (a join of frames), as libvips reads an image with a page height.
 */
function pixelsInput(samples, { width, height, channels, pageHeight = height }, limitInputPixels) {
  if (pageHeight >= height) return rawInput(samples, width, height, channels)
  const pageBytes = width * pageHeight * channels
  const inputs = []
  for (let start = 0; start < samples.length; start += pageBytes) {
    const page = samples.subarray(start, start + pageBytes)
    inputs.push({ bytes: rawInput(page, width, pageHeight, channels).toString('base64'), maxPixels: limitInputPixels })
  }
  return joinInput(JSON.stringify({ animated: true, inputs }))
}

/** sharp's `pageHeight` check, for `create` and `raw` alike (`name` says which). */
function pageHeightOf(pageHeight, height, name) {
  if (!Number.isInteger(pageHeight) || pageHeight < 1 || pageHeight > height) throw invalidParameter(`${name}.pageHeight`, 'positive integer', pageHeight)
  if (height % pageHeight !== 0) {
    throw invalidParameter(`${name}.pageHeight`, `a divisor of ${name}.height`, pageHeight, `Expected ${name}.height ${height} to be a multiple of ${name}.pageHeight ${pageHeight}`)
  }
  return pageHeight
}

module.exports = { createOptions, createdBytes, pixelsInput, pageHeightOf }
