'use strict'

const path = require('node:path')
const { PixelpoolError } = require('./errors')
const { parseColour } = require('./colour')
const schema = require('./schema')

/** The received value as sharp's messages show it (a string as it is). */
function describe(value) {
  if (typeof value === 'string') return value
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Uint8Array) return `a ${value.constructor.name} of ${value.length} bytes`
  // As sharp's template strings show them: [1, 2] as "1,2", an object as "[object Object]".
  return String(value)
}

/** The one shape of every option error: "Expected X for name but received V of type T". */
function invalidOption(name, expected, actual) {
  // typeof, as sharp's messages (null is 'object').
  const type = typeof actual
  return new PixelpoolError(
    'INVALID_OPTION',
    `Expected ${expected} for ${name} but received ${describe(actual)} of type ${type}`,
    { option: name },
  )
}

const isDefined = (v) => v !== undefined && v !== null
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
const inRange = (v, min, max) => Number.isInteger(v) && v >= min && v <= max

/** `{ a, b }` as "a, b" and `[a, b, c]` as "a, b or c", for messages. */
const orList = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`)

/**
 * One checker per schema `kind`: `(value, name, option, context)` returns the value in the
 * engine's shape or throws INVALID_OPTION. Called only for defined values.
 */
const kinds = {
  boolean(value, name) {
    if (typeof value !== 'boolean') throw invalidOption(name, 'boolean', value)
    return value
  },
  integer(value, name, option, { format }) {
    const max = typeof option.max === 'object' ? option.max[format] : option.max
    const min = typeof option.min === 'object' ? option.min[format] : option.min
    if (!inRange(value, min, max)) throw invalidOption(name, `integer between ${min} and ${max}`, value)
    return value
  },
  number(value, name, option) {
    if (typeof value !== 'number' || !(value >= option.min && value <= option.max)) {
      throw invalidOption(name, `number between ${option.min} and ${option.max}`, value)
    }
    return value
  },
  dimension(value, name) {
    if (!inRange(value, 1, schema.MAX_DIMENSION)) throw invalidOption(name, `positive integer up to ${schema.MAX_DIMENSION}`, value)
    return value
  },
  choice(value, name, option) {
    if (!option.choices.includes(value)) throw invalidOption(name, `one of ${option.choices.join(', ')}`, value)
    return value
  },
  string(value, name) {
    if (typeof value !== 'string' || value === '') throw invalidOption(name, 'non-empty string', value)
    return value
  },
  path(value, name) {
    return kinds.string(value, name)
  },
  position(value, name) {
    const key = String(value).toLowerCase()
    const position = schema.positionAliases[key] ?? (positionNames.has(key) ? key : undefined)
    if (!position) {
      throw invalidOption(name, 'a gravity (centre, north, northeast, ... northwest) or strategy (entropy, attention)', value)
    }
    return position
  },
  colour(value, name) {
    const bytes = parseColour(value)
    if (!bytes) throw invalidOption(name, "colour ('#rrggbb' or { r, g, b, alpha })", value)
    const [r, g, b, a] = bytes
    return { r, g, b, a }
  },
  rotation(value, name) {
    if (!Number.isInteger(value) || value % 90 !== 0) throw invalidOption(name, 'multiple of 90', value)
    return ((value % 360) + 360) % 360
  },
  /** sharp's trim: `true` (threshold 10), a threshold, or `{ threshold, background, lineArt, margin }`. */
  trim(value, name) {
    if (value === false) return undefined
    const given = isPlainObject(value) ? value : { threshold: value === true ? 10 : value }
    const { threshold = 10, background, lineArt = false, margin = 0 } = given
    if (typeof threshold !== 'number' || !(threshold >= 0)) {
      throw invalidOption(isPlainObject(value) ? `${name}.threshold` : name, 'true, or a threshold: number from 0', threshold)
    }
    if (typeof lineArt !== 'boolean') throw invalidOption(`${name}.lineArt`, 'boolean', lineArt)
    if (!inRange(margin, 0, 10_000_000)) throw invalidOption(`${name}.margin`, 'integer between 0 and 10000000', margin)
    const trim = { threshold, lineArt, margin }
    if (isDefined(background)) trim.background = kinds.colour(background, `${name}.background`)
    return trim
  },
  duotone(value, name) {
    if (!isPlainObject(value)) throw invalidOption(name, 'object { highlight, shadow, opacity? }', value)
    const colour = (key) => {
      const bytes = parseColour(value[key])
      if (!bytes) throw invalidOption(`${name}.${key}`, "colour ('#rrggbb')", value[key])
      const [r, g, b] = bytes
      return { r, g, b, a: 255 }
    }
    let opacity = null
    if (isDefined(value.opacity)) opacity = kinds.integer(value.opacity, `${name}.opacity`, { min: 1, max: 100 }, {})
    return { highlight: colour('highlight'), shadow: colour('shadow'), opacity }
  },
  pixelLimit(value, name) {
    if (value === true) return schema.DEFAULT_LIMIT_INPUT_PIXELS
    if (value === false || value === 0) return Number.MAX_SAFE_INTEGER
    if (!inRange(value, 1, Number.MAX_SAFE_INTEGER)) throw invalidOption(name, 'positive integer, true or false', value)
    return value
  },
  redisUrl(url, name) {
    if (typeof url !== 'string' || !/^rediss?:\/\/[^/]/.test(url)) {
      throw invalidOption(name, "Redis URL ('redis://[user:password@]host[:port][/db]' or 'rediss://...')", url)
    }
    return url
  },
  queueName(value, name) {
    if (typeof value !== 'string' || !/^[\w.-]{1,100}$/.test(value)) {
      throw invalidOption(name, 'string of letters, digits, _ . - (at most 100)', value)
    }
    return value
  },
  remote(value, name, option, { queue }) {
    return remoteOptions(value, queue)
  },
  metadata(value, name) {
    if (!isPlainObject(value)) throw invalidOption(name, 'object', value)
    const known = ['exif', 'replaceExif', 'orientation', 'density', 'keepExif', 'xmp', 'keepXmp', 'srgbProfile']
    const unknown = Object.keys(value).find((key) => !known.includes(key))
    if (unknown) throw invalidOption(`${name}.${unknown}`, `one of ${known.join(', ')}`, unknown)
    const { exif, orientation, density, xmp } = value
    if (isDefined(exif)) {
      if (!isPlainObject(exif)) throw invalidOption(`${name}.exif`, 'object', exif)
      for (const [ifd, tags] of Object.entries(exif)) {
        if (!isPlainObject(tags)) throw invalidOption(`${name}.exif.${ifd}`, 'object', tags)
        for (const [tag, text] of Object.entries(tags)) {
          if (typeof text !== 'string') throw invalidOption(`${name}.exif.${ifd}.${tag}`, 'string', text)
        }
      }
    }
    for (const flag of ['replaceExif', 'keepExif', 'keepXmp', 'srgbProfile']) {
      if (isDefined(value[flag])) kinds.boolean(value[flag], `${name}.${flag}`)
    }
    if (isDefined(orientation) && !inRange(orientation, 1, 8)) throw invalidOption(`${name}.orientation`, 'integer between 1 and 8', orientation)
    if (isDefined(density) && !(typeof density === 'number' && density > 0 && Number.isFinite(density))) {
      throw invalidOption(`${name}.density`, 'positive number', density)
    }
    if (isDefined(xmp)) kinds.string(xmp, `${name}.xmp`)
    return value
  },
  /** sharp's `tile()`: `true` or the fields of `schema.tiles`, for a jpeg, png or webp output. */
  tiles(value, name, option, { format, path: outputPath }) {
    if (value === false) return undefined
    const given = value === true ? {} : value
    if (!isPlainObject(given)) throw invalidOption(name, 'true or object', value)
    const known = withAliases(schema.tiles)
    const unknown = Object.keys(given).find((key) => !known.has(key))
    if (unknown) throw invalidOption(`${name}.${unknown}`, `one of ${[...known].join(', ')}`, unknown)
    if (!schema.tileFormats.includes(format)) throw invalidOption(`${name}`, `tiles of a ${orList(schema.tileFormats)} output`, format)
    const tiles = {}
    for (const field of schema.tiles) tiles[field.name] = valueOf(field, given, `${name}.${field.name}`, {})
    if (tiles.overlap > tiles.size) throw invalidOption(`${name}.overlap`, `integer no larger than size (${tiles.size})`, tiles.overlap)
    tiles.container ??= schema.isTileZipPath(outputPath) || outputPath === undefined ? 'zip' : 'fs'
    tiles.basename ??= typeof outputPath === 'string' ? schema.tileBasename(outputPath) : 'untitled'
    // The engine's "keep every tile" is no threshold.
    tiles.skipBlanks = tiles.skipBlanks >= 0 ? tiles.skipBlanks : undefined
    return tiles
  },
  /**
   * The engine's `Operations` as pixelpool-sharp builds them; the binding checks each
   * field while deserialising and the job rejects (never throws) when one is wrong.
   */
  operations(value, name) {
    if (!isPlainObject(value)) throw invalidOption(name, 'object', value)
    return value
  },
}

/** An option's default: a value, one per format, or computed from what was given. */
function defaultOf(option, given, context) {
  const { default: fallback } = option
  if (typeof fallback === 'function') return fallback(given, context.queue)
  if (isPlainObject(fallback)) return fallback[context.format]
  if (option.kind === 'colour' && fallback !== undefined) return kinds.colour(fallback, option.name)
  return fallback
}

/** A required option is checked even when absent, so its checker names what is missing. */
function valueOf(option, given, name, context) {
  const value = [option.name, ...(option.aliases ?? [])].map((key) => given[key]).find(isDefined)
  if (!isDefined(value) && !option.required) return defaultOf(option, given, context)
  return kinds[option.kind](value, name, option, context)
}

const positionNames = new Set([...schema.gravities, ...schema.strategies])
const withAliases = (options) => new Set(options.flatMap((o) => [o.name, ...(o.aliases ?? [])]))

function queueOptions(options = {}) {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'object', options)
  // Later options' defaults may follow earlier ones (remote.overflowAt is concurrency).
  const checked = {}
  for (const option of schema.queue) checked[option.name] = valueOf(option, options, option.name, { queue: checked })
  return checked
}

const remoteKeys = withAliases(schema.remote)

function remoteOptions(remote, queue) {
  if (typeof remote !== 'object' || Array.isArray(remote)) throw invalidOption('remote', 'object', remote)
  for (const key of Object.keys(remote)) {
    if (!remoteKeys.has(key)) throw invalidOption(`remote.${key}`, `one of ${[...remoteKeys].join(', ')}`, key)
  }
  const checked = {}
  for (const option of schema.remote) checked[option.name] = valueOf(option, remote, `remote.${option.name}`, { queue })
  return checked
}

/** The URL with its password hidden, for messages. */
function redactUrl(url) {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1***@')
}

const outputKeys = withAliases(schema.output)
const encoderSettings = schema.output.filter((o) => o.formats)
const outputWithExtension = schema.formats.filter((f) => f.write && f.extensions.length > 0)

function outputFormat(output, name) {
  if (isDefined(output.format)) {
    const format = schema.formatNames[typeof output.format === 'string' ? output.format.toLowerCase() : '']
    if (!format) throw invalidOption(`${name}.format`, `one of ${schema.writableFormats.join(', ')}`, output.format)
    return format
  }
  const extension = typeof output.path === 'string' ? path.extname(output.path).toLowerCase() : ''
  const fromExtension = schema.formatOfExtension[extension]
  if (!schema.writableFormats.includes(fromExtension)) {
    const names = outputWithExtension.map((f) => f.name).join(', ')
    const extensions = orList(outputWithExtension.map((f) => f.extensions[0]))
    throw invalidOption(`${name}.format`, `one of ${names} (or a path ending in ${extensions})`, output.format)
  }
  return fromExtension
}

/**
 * One output, checked and filled in from the schema: `{ path, spec }` with `spec` in the
 * serde shape of the engine's `OutputSpec` and its encoder settings in `spec.encoding`.
 */
function outputSpec(output, index) {
  const name = `outputs[${index}]`
  if (!isPlainObject(output)) throw invalidOption(name, 'object', output)
  for (const key of Object.keys(output)) {
    if (!outputKeys.has(key)) throw invalidOption(`${name}.${key}`, 'no such option (unknown or not supported yet)', output[key])
  }
  const format = outputFormat(output, name)
  for (const option of encoderSettings) {
    if (isDefined(output[option.name]) && !option.formats.includes(format)) {
      const applies = option.formats.length > 1
        ? `${option.formats.slice(0, -1).join(', ')} and ${option.formats.at(-1)}`
        : option.formats[0]
      throw invalidOption(`${name}.${option.name}`, `undefined for ${format} output (it applies to ${applies})`, output[option.name])
    }
  }
  // As sharp: a PNG quality means a palette PNG.
  if (format === 'png' && isDefined(output.quality) && output.palette === false) {
    throw invalidOption(`${name}.quality`, 'undefined for png output without a palette', output.quality)
  }
  const context = { format, path: output.path }
  const spec = {}
  const encoding = { format }
  let target
  for (const option of schema.output) {
    if (option.name === 'format') continue
    const optionName = `${name}.${option.name}`
    if (option.formats) {
      if (option.formats.includes(format)) encoding[option.name] = valueOf(option, output, optionName, context)
    } else if (option.name === 'path') target = valueOf(option, output, optionName, context)
    else {
      const value = valueOf(option, output, optionName, context)
      if (value !== undefined) spec[option.name] = value
    }
  }
  return { path: target, spec: { ...spec, encoding } }
}

function jobInput(input) {
  if (typeof input === 'string' && input !== '') return { inputPath: input }
  if (input instanceof Uint8Array) {
    return { inputData: Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength) }
  }
  throw invalidOption('input', 'file path, Buffer or Uint8Array', input)
}

const jobOption = Object.fromEntries(schema.job.map((o) => [o.name, o]))

/** Checks a job and returns it in the shape the native queue takes. Throws on the first bad option. */
function job(job, id, queue) {
  if (job === null || typeof job !== 'object') throw invalidOption('job', 'object', job)
  const { inputPath, inputData } = jobInput(job.input)
  if (!Array.isArray(job.outputs) || job.outputs.length === 0) {
    throw invalidOption('outputs', 'non-empty array of output objects', job.outputs)
  }
  const outputs = job.outputs.map(outputSpec)
  const context = { queue }
  const priority = valueOf(jobOption.priority, job, 'priority', context)
  const failOn = valueOf(jobOption.failOn, job, 'failOn', context)
  if (isDefined(job.signal) && !(job.signal instanceof AbortSignal)) {
    throw invalidOption('signal', 'AbortSignal', job.signal)
  }
  const limitInputPixels = valueOf(jobOption.limitInputPixels, job, 'limitInputPixels', context)
  const density = valueOf(jobOption.density, job, 'density', context)
  const animated = valueOf(jobOption.animated, job, 'animated', context)
  const page = valueOf(jobOption.page, job, 'page', context)
  const pages = valueOf(jobOption.pages, job, 'pages', context)
  const ignoreIcc = valueOf(jobOption.ignoreIcc, job, 'ignoreIcc', context)
  return { id, inputPath, inputData, outputs, priority, failOn, limitInputPixels, density, animated, page, pages, ignoreIcc }
}

module.exports = { queueOptions, job, invalidOption, redactUrl, DEFAULT_LIMIT_INPUT_PIXELS: schema.DEFAULT_LIMIT_INPUT_PIXELS }
