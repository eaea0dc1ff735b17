'use strict'

const { readFile } = require('node:fs/promises')
const { DEFAULT_LIMIT_INPUT_PIXELS, PixelpoolError } = require('pixelpool/internal')
const { colourOf } = require('./geometry')
const { invalidParameter } = require('./errors')
const { isPlainObject, integerIn } = require('./checks')
const { joinOptions } = require('./join')
const { textOptions, drawnText } = require('./text')
const { createOptions, createdBytes, pixelsInput, pageHeightOf } = require('./create')
const { withStylesheet } = require('./svg-stylesheet')
const { depthOfArray, toEightBit, bytesPerSample } = require('./depth')

const failOnLevels = ['none', 'truncated', 'error', 'warning']

function channelCount(value, name) {
  if (![1, 2, 3, 4].includes(value)) throw invalidParameter(name, 'number of channels between 1 and 4', value)
  return value
}

/** `{ raw: { width, height, channels } }`: the pixels come in the input buffer or stream. */
function rawDescriptor(raw) {
  if (!isPlainObject(raw)) throw invalidParameter('raw', 'object { width, height, channels }', raw)
  const side = (value, name) => {
    if (!Number.isInteger(value) || value < 1 || value > 100000000) throw invalidParameter(name, 'integer between 1 and 100000000', value)
    return value
  }
  const descriptor = {
    width: side(raw.width, 'raw.width'),
    height: side(raw.height, 'raw.height'),
    channels: channelCount(raw.channels, 'raw.channels'),
  }
  if (raw.premultiplied !== undefined) {
    if (typeof raw.premultiplied !== 'boolean') throw invalidParameter('raw.premultiplied', 'boolean', raw.premultiplied)
    descriptor.premultiplied = raw.premultiplied
  }
  if (raw.pageHeight !== undefined) descriptor.pageHeight = pageHeightOf(raw.pageHeight, raw.height, 'raw')
  return descriptor
}

/**
 * sharp(input, options) as `options.input`: `buffer` or `file`, or neither (stream input),
 * plus the decode settings. Throws at once on a bad parameter, as sharp does.
 */
function parseInput(input, options) {
  const optionsOnly = isPlainObject(input) && options === undefined
  if (optionsOnly) [input, options] = [undefined, input]
  const descriptor = { failOn: 'warning', limitInputPixels: DEFAULT_LIMIT_INPUT_PIXELS, autoOrient: false }
  if (typeof input === 'string') descriptor.file = input
  else if (Buffer.isBuffer(input)) descriptor.buffer = nonEmpty(input, 'Input Buffer is empty')
  else if (ArrayBuffer.isView(input)) descriptor.buffer = nonEmpty(Buffer.from(input.buffer, input.byteOffset, input.byteLength), 'Input Bit Array is empty')
  else if (input instanceof ArrayBuffer) descriptor.buffer = nonEmpty(Buffer.from(input), 'Input bit Array is empty')
  else if (Array.isArray(input)) descriptor.join = { members: joinMembers(input), settings: joinOptions(options?.join) }
  else if ((input !== undefined && input !== null) || (options !== undefined && !optionsOnly)) {
    // sharp's words: nothing at all is a stream; anything else it cannot read is refused.
    const also = options !== undefined ? ` when also providing options of type ${typeof options}` : ''
    throw invalidParameter('input', 'Buffer, TypedArray, ArrayBuffer, file path or nothing (a stream)', input, `Unsupported input '${input}' of type ${typeof input}${also}`)
  }
  if (options?.join !== undefined && !descriptor.join) throw invalidParameter('join', 'array input', input, 'Expected input to be an array of images to join')
  if (options !== undefined) applyInputOptions(descriptor, options)
  if (descriptor.raw && ArrayBuffer.isView(input)) descriptor.raw.depth = depthOfArray(input)
  if (descriptor.join && options?.pages === undefined) descriptor.animated = descriptor.join.settings.animated === true
  if (!descriptor.file && !descriptor.buffer && !descriptor.create && !descriptor.join && !descriptor.text) descriptor.stream = true
  return descriptor
}

/** The images of a join, each read as its own input (sharp's words for a bad list). */
function joinMembers(inputs) {
  if (inputs.length < 2) throw invalidParameter('input', 'at least two images', inputs, 'Expected at least two images to join')
  if (inputs.some(Array.isArray)) throw invalidParameter('input', 'images, not lists', inputs, 'Recursive join is unsupported')
  return inputs.map((member) => {
    const descriptor = parseInput(member)
    if (descriptor.stream) throw invalidParameter('input', 'Buffer, file path, create or raw pixels', member, `Unsupported input '${member}' of type ${typeof member}`)
    return descriptor
  })
}

function nonEmpty(buffer, message) {
  if (buffer.length === 0) throw invalidParameter('input', 'non-empty data', buffer, message)
  return buffer
}

/** Options sharp checks and pixelpool has no use for (libvips access hints, other loaders'). */
const checkedOnly = {
  unlimited: 'boolean', sequentialRead: 'boolean', 'svg.highBitdepth': 'boolean', 'svg.stylesheet': 'string',
  'jp2.oneshot': 'boolean', 'openSlide.level': [0, 256], level: [0, 256], 'tiff.subifd': [-1, 100000], subifd: [-1, 100000],
}

function checkOnly(options) {
  for (const [name, kind] of Object.entries(checkedOnly)) {
    const [outer, inner] = name.split('.')
    const value = inner ? (isPlainObject(options[outer]) ? options[outer][inner] : undefined) : options[outer]
    if (value === undefined) continue
    if (Array.isArray(kind)) integerIn(value, name, kind[0], kind[1])
    else if (typeof value !== kind) throw invalidParameter(name, kind, value)
  }
  const pdfBackground = isPlainObject(options.pdf) ? options.pdf.background : options.pdfBackground
  if (pdfBackground !== undefined) colourOf(pdfBackground, 'background')
}

function applyInputOptions(descriptor, options) {
  if (!isPlainObject(options)) throw invalidParameter('options', 'object', options, `Invalid input options ${options}`)
  checkOnly(options)
  if (isPlainObject(options.svg) && options.svg.stylesheet !== undefined) descriptor.svgStylesheet = options.svg.stylesheet
  if (options.ignoreIcc !== undefined) {
    if (typeof options.ignoreIcc !== 'boolean') throw invalidParameter('ignoreIcc', 'boolean', options.ignoreIcc)
    descriptor.ignoreIcc = options.ignoreIcc
  }
  const channels = options.limitInputChannels
  if (channels !== undefined && typeof channels !== 'boolean' && !(Number.isSafeInteger(channels) && channels >= 0)) {
    throw invalidParameter('limitInputChannels', 'positive integer', channels)
  }
  // pixelpool holds at most four channels, sharp's default limit: only a lower one checks.
  if (Number.isInteger(channels) && channels > 0 && channels < 4) descriptor.limitInputChannels = channels
  if (options.failOnError !== undefined) {
    if (typeof options.failOnError !== 'boolean') throw invalidParameter('failOnError', 'boolean', options.failOnError)
    descriptor.failOn = options.failOnError ? 'warning' : 'none'
  }
  if (options.failOn !== undefined) {
    if (!failOnLevels.includes(options.failOn)) throw invalidParameter('failOn', `one of: ${failOnLevels.join(', ')}`, options.failOn)
    descriptor.failOn = options.failOn
  }
  const limit = options.limitInputPixels
  if (limit === false || limit === 0) descriptor.limitInputPixels = Number.MAX_SAFE_INTEGER
  else if (limit === true || limit === undefined) descriptor.limitInputPixels = DEFAULT_LIMIT_INPUT_PIXELS
  else if (Number.isSafeInteger(limit) && limit > 0) descriptor.limitInputPixels = limit
  else throw invalidParameter('limitInputPixels', 'positive integer', limit)
  if (options.animated !== undefined && typeof options.animated !== 'boolean') throw invalidParameter('animated', 'boolean', options.animated)
  if (options.pages !== undefined) integerIn(options.pages, 'pages', -1, 100000)
  // sharp's pages: -1 every frame from `page` (as `animated`), n that many, 1 one.
  descriptor.pages = options.pages ?? (options.animated === true ? -1 : 1)
  descriptor.animated = descriptor.pages !== 1
  if (options.page !== undefined) descriptor.page = integerIn(options.page, 'page', 0, 100000)
  if (options.autoOrient !== undefined) {
    if (typeof options.autoOrient !== 'boolean') throw invalidParameter('autoOrient', 'boolean', options.autoOrient)
    descriptor.autoOrient = options.autoOrient
  }
  // Density sizes vector input (SVG); sequentialRead and unlimited are libvips access hints.
  if (options.density !== undefined) {
    if (!(typeof options.density === 'number' && options.density >= 1 && options.density <= 100000)) {
      throw invalidParameter('density', 'number between 1 and 100000', options.density)
    }
    descriptor.density = options.density
  }
  if (options.raw !== undefined) descriptor.raw = rawDescriptor(options.raw)
  if (options.create !== undefined) {
    descriptor.create = createOptions(options.create)
    // Pages of a created image are an animation's frames, kept as sharp keeps them.
    if (descriptor.create.pageHeight < descriptor.create.height) descriptor.animated = true
  }
  if (options.text !== undefined) descriptor.text = textOptions(options.text)
}

/**
 * The job input of a descriptor: `{ path }` or `{ bytes }` (raw pixels in pixelpool's
 * container); drawn text also states the dpi it was drawn at (`textAutofitDpi`).
 */
async function jobInput(descriptor, streamed) {
  if (descriptor.text) {
    const { input, autofitDpi } = await drawnText(descriptor)
    return { bytes: input, textAutofitDpi: autofitDpi }
  }
  if (descriptor.create) return { bytes: await createdBytes(descriptor.create, descriptor.limitInputPixels) }
  const bytes = descriptor.buffer ?? streamed
  if (descriptor.raw) {
    const { width, height, channels, depth = 'uchar' } = descriptor.raw
    const expected = width * height * channels * bytesPerSample(depth)
    // As libvips: more bytes than the pixels need are ignored, fewer refused in its words.
    if (!bytes || bytes.length < expected) {
      throw new PixelpoolError('INVALID_OPTION', `VipsImage: memory area too small -- should be ${expected} bytes, you passed ${bytes?.length ?? 0}`, { option: 'raw' })
    }
    const eightBit = toEightBit(bytes.subarray(0, expected), depth)
    const samples = descriptor.raw.premultiplied ? unpremultiplied(eightBit, channels) : eightBit
    return { bytes: pixelsInput(samples, descriptor.raw, descriptor.limitInputPixels) }
  }
  if (descriptor.svgStylesheet) {
    const svg = descriptor.file !== undefined ? await readInputFile(descriptor.file) : bytes
    return { bytes: withStylesheet(svg, descriptor.svgStylesheet) }
  }
  if (descriptor.file) return { path: descriptor.file }
  return { bytes }
}

/** Premultiplied samples unpremultiplied as libvips does for sharp (alpha 0 leaves black). */
function unpremultiplied(samples, channels) {
  if (channels !== 2 && channels !== 4) return samples
  const out = Buffer.from(samples)
  for (let i = 0; i < out.length; i += channels) {
    const alpha = out[i + channels - 1]
    if (alpha === 255) continue
    for (let c = i; c < i + channels - 1; c++) out[c] = alpha === 0 ? 0 : Math.min(255, Math.round((out[c] * 255) / alpha))
  }
  return out
}

/** The bytes of an input file; a file that cannot be read is an IO_ERROR naming it. */
async function readInputFile(file) {
  try {
    return await readFile(file)
  } catch (error) {
    throw new PixelpoolError('IO_ERROR', `cannot read input file ${file}: ${error.message}`, { input: file, cause: error })
  }
}

module.exports = { parseInput, jobInput, readInputFile }
