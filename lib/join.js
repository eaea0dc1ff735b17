'use strict'

const { readFile } = require('node:fs/promises')
const native = require('./native')
const { PixelpoolError } = require('./errors')
const { DEFAULT_LIMIT_INPUT_PIXELS } = require('./schema')

/**
 * Several images as one job input: sharp's `join` (libvips' arrayjoin), in a grid `across`
 * images wide with `shim` pixels between cells, or as the frames of an animation
 * (`animated`). `images` are paths or Buffers; the result is a Buffer to pass as a job's
 * `input`. Each image is read now; the engine decodes and checks them when the job runs
 * (crates/engine/src/join.rs), each within `limitInputPixels`.
 */
async function joinInputs(images, options = {}) {
  if (!Array.isArray(images) || images.length < 2) {
    throw new PixelpoolError('INVALID_OPTION', 'join: expected an array of at least two images', { option: 'join' })
  }
  const { limitInputPixels = DEFAULT_LIMIT_INPUT_PIXELS, ...settings } = options
  const inputs = await Promise.all(images.map(async (image, index) => ({
    bytes: (Buffer.isBuffer(image) ? image : await readImage(image, index)).toString('base64'),
    maxPixels: limitInputPixels,
  })))
  try {
    return native.joinInput(JSON.stringify({ ...settings, inputs }))
  } catch (error) {
    throw new PixelpoolError(error.code ?? 'INVALID_OPTION', error.message, { option: 'join' })
  }
}

async function readImage(file, index) {
  if (typeof file !== 'string') throw new PixelpoolError('INVALID_OPTION', `join[${index}]: expected a path or a Buffer`, { option: 'join' })
  try {
    return await readFile(file)
  } catch (error) {
    throw new PixelpoolError('IO_ERROR', `cannot read input file ${file}: ${error.message}`, { input: file, cause: error })
  }
}

module.exports = { joinInputs }
