'use strict'

const os = require('node:os')
const path = require('node:path')
const { PixelpoolError } = require('./errors')
const { parseColour } = require('./colour')

/** sharp's default: 0x3FFF * 0x3FFF. */
const DEFAULT_LIMIT_INPUT_PIXELS = 268402689
/** JPEG's largest side; also bounds every other format we write. */
const MAX_DIMENSION = 65500

function describe(value) {
  if (typeof value === 'string') return `'${value}'`
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Uint8Array) return `a ${value.constructor.name} of ${value.length} bytes`
  if (Array.isArray(value)) return 'an array'
  if (value && typeof value === 'object') return 'an object'
  return String(value)
}

/** The one shape of every option error: "Expected X for name but received V of type T". */
function invalidOption(name, expected, actual) {
  const type = actual === null ? 'null' : typeof actual
  return new PixelpoolError(
    'INVALID_OPTION',
    `Expected ${expected} for ${name} but received ${describe(actual)} of type ${type}`,
    { option: name },
  )
}

const is = {
  defined: (v) => v !== undefined && v !== null,
  bool: (v) => typeof v === 'boolean',
  integer: (v) => Number.isInteger(v),
  inRange: (v, min, max) => Number.isInteger(v) && v >= min && v <= max,
}

function optionalBool(value, name, fallback) {
  if (!is.defined(value)) return fallback
  if (!is.bool(value)) throw invalidOption(name, 'boolean', value)
  return value
}

function optionalInteger(value, name, min, max, fallback) {
  if (!is.defined(value)) return fallback
  if (!is.inRange(value, min, max)) throw invalidOption(name, `integer between ${min} and ${max}`, value)
  return value
}

function optionalChoice(value, name, choices, fallback) {
  if (!is.defined(value)) return fallback
  if (!choices.includes(value)) throw invalidOption(name, `one of ${choices.join(', ')}`, value)
  return value
}

function queueOptions(options = {}) {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'object', options)
  const concurrency = optionalInteger(options.concurrency, 'concurrency', 1, 1024, os.availableParallelism())
  const maxQueue = optionalInteger(options.maxQueue, 'maxQueue', 1, 2 ** 31 - 1, 10_000)
  let limitInputPixels = options.limitInputPixels
  if (!is.defined(limitInputPixels) || limitInputPixels === true) limitInputPixels = DEFAULT_LIMIT_INPUT_PIXELS
  else if (limitInputPixels === false || limitInputPixels === 0) limitInputPixels = Number.MAX_SAFE_INTEGER
  else if (!is.inRange(limitInputPixels, 1, Number.MAX_SAFE_INTEGER)) {
    throw invalidOption('limitInputPixels', 'positive integer, true or false', limitInputPixels)
  }
  const profile = optionalBool(options.profile, 'profile', process.env.PIXELPOOL_PROFILE === '1')
  if (is.defined(options.cacheDir) && (typeof options.cacheDir !== 'string' || options.cacheDir === '')) {
    throw invalidOption('cacheDir', 'non-empty string', options.cacheDir)
  }
  const cacheMaxBytes = optionalInteger(options.cacheMaxBytes, 'cacheMaxBytes', 1, Number.MAX_SAFE_INTEGER, 2 ** 30)
  const remote = is.defined(options.remote) ? remoteOptions(options.remote, concurrency) : undefined
  return { concurrency, maxQueue, limitInputPixels, profile, cacheDir: options.cacheDir, cacheMaxBytes, remote }
}

const remoteKeys = new Set(['url', 'name', 'overflowAt', 'timeoutMs', 'maxInputBytes'])

/**
 * `remote` with its defaults: forward once more jobs wait than the pool runs at once,
 * fall back to local after a minute, never ship inputs above 32 MiB (uploading them
 * costs more than it saves, and big values stall Redis).
 */
function remoteOptions(remote, concurrency) {
  if (typeof remote !== 'object' || Array.isArray(remote)) throw invalidOption('remote', 'object', remote)
  for (const key of Object.keys(remote)) {
    if (!remoteKeys.has(key)) throw invalidOption(`remote.${key}`, `one of ${[...remoteKeys].join(', ')}`, key)
  }
  const { url } = remote
  if (typeof url !== 'string' || !/^rediss?:\/\/[^/]/.test(url)) {
    throw invalidOption('remote.url', "Redis URL ('redis://[user:password@]host[:port][/db]' or 'rediss://...')", url)
  }
  const name = remote.name ?? 'default'
  if (typeof name !== 'string' || !/^[\w.-]{1,100}$/.test(name)) {
    throw invalidOption('remote.name', 'string of letters, digits, _ . - (at most 100)', name)
  }
  return {
    url,
    name,
    overflowAt: optionalInteger(remote.overflowAt, 'remote.overflowAt', 0, 2 ** 31 - 1, concurrency),
    timeoutMs: optionalInteger(remote.timeoutMs, 'remote.timeoutMs', 1, 2 ** 31 - 1, 60_000),
    maxInputBytes: optionalInteger(remote.maxInputBytes, 'remote.maxInputBytes', 1, Number.MAX_SAFE_INTEGER, 32 * 2 ** 20),
  }
}

/** The URL with its password hidden, for messages. */
function redactUrl(url) {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@')
}

const formats = { jpeg: 'jpeg', jpg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif', raw: 'raw' }
const fits = ['cover', 'contain', 'fill', 'inside', 'outside']
/** Gravity names, sharp's CSS-like aliases, and sharp.gravity numbers. */
const positions = {
  centre: 'centre', center: 'centre', 0: 'centre',
  north: 'north', top: 'north', 1: 'north',
  east: 'east', right: 'east', 2: 'east',
  south: 'south', bottom: 'south', 3: 'south',
  west: 'west', left: 'west', 4: 'west',
  northeast: 'northeast', 'right top': 'northeast', 5: 'northeast',
  southeast: 'southeast', 'right bottom': 'southeast', 6: 'southeast',
  southwest: 'southwest', 'left bottom': 'southwest', 7: 'southwest',
  northwest: 'northwest', 'left top': 'northwest', 8: 'northwest',
  entropy: 'entropy', 16: 'entropy',
  attention: 'attention', 17: 'attention',
}
const outputKeys = new Set([
  'path', 'format', 'width', 'height', 'fit', 'position', 'background', 'withoutEnlargement',
  'rotate', 'flip', 'flop', 'grayscale', 'greyscale', 'keepMetadata', 'quality', 'progressive',
  'chromaSubsampling', 'compressionLevel', 'lossless', 'effort', 'alphaQuality', 'palette', 'trim', 'duotone',
  'operations',
])
/** sharp's default quality per format (AVIF's is lower: its scale is not JPEG's). */
const defaultQuality = { jpeg: 80, webp: 80, avif: 50, png: 100, raw: 100 }

function outputFormat(output, name) {
  if (is.defined(output.format)) {
    const format = formats[typeof output.format === 'string' ? output.format.toLowerCase() : '']
    if (!format) throw invalidOption(`${name}.format`, 'one of jpeg, png, webp, avif, raw', output.format)
    return format
  }
  const fromExtension = typeof output.path === 'string' && formats[path.extname(output.path).slice(1).toLowerCase()]
  if (!fromExtension) {
    throw invalidOption(`${name}.format`, 'one of jpeg, png, webp, avif (or a path ending in .jpg, .png, .webp or .avif)', output.format)
  }
  return fromExtension
}

function dimension(value, name) {
  if (!is.defined(value)) return undefined
  if (!is.inRange(value, 1, MAX_DIMENSION)) throw invalidOption(name, `positive integer up to ${MAX_DIMENSION}`, value)
  return value
}

function rotation(value, name) {
  if (!is.defined(value)) return 0
  if (!is.integer(value) || value % 90 !== 0) throw invalidOption(name, 'multiple of 90', value)
  return ((value % 360) + 360) % 360
}

function outputSpec(output, index) {
  const name = `outputs[${index}]`
  if (output === null || typeof output !== 'object' || Array.isArray(output)) throw invalidOption(name, 'object', output)
  for (const key of Object.keys(output)) {
    if (!outputKeys.has(key)) throw invalidOption(`${name}.${key}`, 'no such option (unknown or not supported yet)', output[key])
  }
  if (is.defined(output.path) && (typeof output.path !== 'string' || output.path === '')) {
    throw invalidOption(`${name}.path`, 'non-empty string', output.path)
  }
  const format = outputFormat(output, name)
  const fit = optionalChoice(output.fit, `${name}.fit`, fits, 'cover')
  const position = positions[is.defined(output.position) ? String(output.position).toLowerCase() : 'centre']
  if (!position) throw invalidOption(`${name}.position`, 'a gravity (centre, north, northeast, ... northwest) or strategy (entropy, attention)', output.position)
  const background = is.defined(output.background) ? parseColour(output.background) : [0, 0, 0, 255]
  if (!background) throw invalidOption(`${name}.background`, "colour ('#rrggbb' or { r, g, b, alpha })", output.background)
  const forFormats = (option, ...only) => {
    if (is.defined(output[option]) && !only.includes(format)) {
      throw invalidOption(`${name}.${option}`, `undefined for ${format} output (it applies to ${only.join(' and ')})`, output[option])
    }
  }
  forFormats('progressive', 'jpeg')
  forFormats('chromaSubsampling', 'jpeg')
  forFormats('compressionLevel', 'png')
  forFormats('palette', 'png')
  forFormats('lossless', 'webp', 'avif')
  forFormats('effort', 'webp', 'avif')
  forFormats('alphaQuality', 'webp')
  const palette = optionalBool(output.palette, `${name}.palette`, false)
  // As sharp: a PNG quality means a palette PNG.
  if (format === 'png' && is.defined(output.quality) && output.palette === false) {
    throw invalidOption(`${name}.quality`, 'undefined for png output without a palette', output.quality)
  }
  return {
    path: output.path,
    format,
    width: dimension(output.width, `${name}.width`),
    height: dimension(output.height, `${name}.height`),
    fit,
    position,
    background,
    withoutEnlargement: optionalBool(output.withoutEnlargement, `${name}.withoutEnlargement`, false),
    rotate: rotation(output.rotate, `${name}.rotate`),
    flip: optionalBool(output.flip, `${name}.flip`, false),
    flop: optionalBool(output.flop, `${name}.flop`, false),
    grayscale: optionalBool(output.grayscale ?? output.greyscale, `${name}.grayscale`, false),
    keepMetadata: optionalBool(output.keepMetadata, `${name}.keepMetadata`, false),
    quality: optionalInteger(output.quality, `${name}.quality`, 1, 100, defaultQuality[format]),
    palette: palette || (format === 'png' && is.defined(output.quality)),
    progressive: optionalBool(output.progressive, `${name}.progressive`, false),
    chromaSubsampling: optionalChoice(output.chromaSubsampling, `${name}.chromaSubsampling`, ['4:2:0', '4:4:4'], '4:2:0'),
    compressionLevel: optionalInteger(output.compressionLevel, `${name}.compressionLevel`, 0, 9, 6),
    lossless: optionalBool(output.lossless, `${name}.lossless`, false),
    effort: optionalInteger(output.effort, `${name}.effort`, 0, format === 'avif' ? 9 : 6, 4),
    alphaQuality: optionalInteger(output.alphaQuality, `${name}.alphaQuality`, 0, 100, 100),
    trim: trimThreshold(output.trim, `${name}.trim`),
    duotone: is.defined(output.duotone) ? duotone(output.duotone, `${name}.duotone`) : undefined,
    operations: operations(output.operations, `${name}.operations`),
  }
}

/** sharp's trim: `true` (threshold 10), a threshold 0-255, or `{ threshold }`. */
function trimThreshold(value, name) {
  if (!is.defined(value) || value === false) return undefined
  if (value === true) return 10
  const threshold = typeof value === 'object' ? (value.threshold ?? 10) : value
  if (!is.inRange(threshold, 0, 255)) throw invalidOption(name, 'true, or a threshold: integer between 0 and 255', value)
  return threshold
}

/**
 * sharp's further operations in the engine's shape (crates/engine/src/operations.rs), as
 * pixelpool-sharp builds them; the native side checks each field and rejects the job (never
 * throws) when one is wrong.
 */
function operations(value, name) {
  if (!is.defined(value)) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidOption(name, 'object', value)
  return value
}

/** gatsby-plugin-sharp's duotone: `{ highlight, shadow, opacity? }`, opacity in percent. */
function duotone(value, name) {
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidOption(name, 'object { highlight, shadow, opacity? }', value)
  const colour = (key) => {
    const parsed = parseColour(value[key])
    if (!parsed) throw invalidOption(`${name}.${key}`, "colour ('#rrggbb')", value[key])
    return parsed.slice(0, 3)
  }
  const opacity = optionalInteger(value.opacity, `${name}.opacity`, 1, 100, undefined)
  return { highlight: colour('highlight'), shadow: colour('shadow'), opacity }
}

/** Checks a job and returns it in the shape the native queue takes. Throws on the first bad option. */
function job(job, id, queue) {
  if (job === null || typeof job !== 'object') throw invalidOption('job', 'object', job)
  const { input } = job
  let inputPath
  let inputData
  if (typeof input === 'string' && input !== '') inputPath = input
  else if (input instanceof Uint8Array) {
    inputData = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  } else throw invalidOption('input', 'file path, Buffer or Uint8Array', input)
  if (!Array.isArray(job.outputs) || job.outputs.length === 0) {
    throw invalidOption('outputs', 'non-empty array of output objects', job.outputs)
  }
  const outputs = job.outputs.map(outputSpec)
  const priority = optionalInteger(job.priority, 'priority', -(2 ** 31), 2 ** 31 - 1, 0)
  const failOn = optionalChoice(job.failOn, 'failOn', ['none', 'truncated', 'error', 'warning'], 'warning')
  if (is.defined(job.signal) && !(job.signal instanceof AbortSignal)) {
    throw invalidOption('signal', 'AbortSignal', job.signal)
  }
  let limitInputPixels = queue.limitInputPixels
  if (is.defined(job.limitInputPixels)) {
    limitInputPixels = optionalInteger(job.limitInputPixels, 'limitInputPixels', 1, Number.MAX_SAFE_INTEGER, undefined)
  }
  return { id, inputPath, inputData, outputs, priority, failOn, limitInputPixels }
}

module.exports = { queueOptions, job, invalidOption, redactUrl, DEFAULT_LIMIT_INPUT_PIXELS }
