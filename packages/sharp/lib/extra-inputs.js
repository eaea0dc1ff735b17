'use strict'

const { parseInput, jobInput, readInputFile } = require('./input')
const { invalidParameter } = require('./errors')

/**
 * Images an operation reads besides the pipeline's input (composite overlays, boolean's
 * operand, joinChannel's bands): checked when the method is called, as sharp checks them,
 * and read when the pipeline runs, into the engine's `ExtraInput` (bytes as base64, so
 * the job stays one JSON value for the cache and remote workers).
 */
function extraInput(input, options) {
  const descriptor = parseInput(input, options)
  if (descriptor.stream) {
    throw invalidParameter('input', 'Buffer, file path, create or raw pixels', input, `Unsupported input '${input}' of type ${typeof input}`)
  }
  return descriptor
}

async function engineInput(descriptor) {
  const source = await jobInput(descriptor)
  const bytes = source.bytes ?? (await readInputFile(source.path))
  return {
    bytes: bytes.toString('base64'),
    maxPixels: descriptor.limitInputPixels,
    failOn: descriptor.failOn,
    ...(descriptor.density !== undefined && { density: descriptor.density }),
    ...(descriptor.page !== undefined && { page: descriptor.page }),
    autoOrient: descriptor.autoOrient,
  }
}

/** A pipeline's extra inputs, read: `{ composite, boolean, joinChannel }` in the engine's shape. */
async function readExtraInputs(options) {
  const [composite, boolean, joinChannel] = await Promise.all([
    Promise.all(options.composite.map(async ({ input, ...overlay }) => ({ ...overlay, image: await engineInput(input) }))),
    options.boolean && engineInput(options.boolean),
    Promise.all(options.joinChannelIn.map(engineInput)),
  ])
  return { composite, boolean, joinChannel }
}

module.exports = { extraInput, readExtraInputs, engineInput }
