// pixelpool as an Astro image service: `image: { service: { entrypoint: 'pixelpool/astro' } }`,
// with pixelpool in the site's dependencies.
// It does what Astro's own sharp service does (astro/dist/assets/services/sharp.js), as
// one pixelpool job per transform on the shared queue: auto-orient, resize without
// enlargement, flatten on `background`, encode to the asked format and quality.
import { baseService } from 'astro/assets'
import { createRequire } from 'node:module'

// Astro bundles this file (pixelpool names astro as a peer), so the rest of pixelpool is
// required by name from wherever the bundle lands, not by a path relative to this file.
const require = createRequire(import.meta.url)
const { sharedQueue, describe, parseColour, PixelpoolError, schema } = require('pixelpool/internal')

/** Astro's named qualities, as its sharp service. */
const qualityTable = { low: 25, mid: 50, high: 80, max: 100 }
/** Astro's `fit` names as sharp's (and so pixelpool's). */
const fitMap = { fill: 'fill', contain: 'inside', cover: 'cover', none: 'outside', 'scale-down': 'inside', outside: 'outside', inside: 'inside' }
/** What Astro may ask for: the image formats pixelpool writes (raw samples are not one). */
const writable = new Set(Object.keys(schema.formatNames).filter((name) => schema.formatNames[name] !== 'raw'))

function qualityOf(quality) {
  if (quality === undefined || quality === null) return undefined
  const number = Number.parseInt(quality, 10)
  if (Number.isInteger(number)) return Math.min(100, Math.max(1, number))
  return qualityTable[quality]
}

function outputFor(transform, inputFormat) {
  const format = transform.format ?? inputFormat
  if (!writable.has(format)) {
    throw new PixelpoolError('UNSUPPORTED_FORMAT', `pixelpool/astro cannot write ${format} (it writes ${[...writable].join(', ')})`, { option: 'format' })
  }
  const output = { format, withoutEnlargement: Boolean(transform.fit) }
  if (transform.width && transform.height && transform.fit) {
    Object.assign(output, { width: Math.round(transform.width), height: Math.round(transform.height), fit: fitMap[transform.fit] ?? 'inside' })
    if (transform.position) output.position = transform.position
  } else if (transform.height && !transform.width) output.height = Math.round(transform.height)
  else if (transform.width) output.width = Math.round(transform.width)
  if (transform.background) output.operations = { flatten: colourBytes(transform.background) }
  const quality = qualityOf(transform.quality)
  if (quality !== undefined && format !== 'png') output.quality = quality
  return output
}

function colourBytes(background) {
  const rgba = parseColour(background)
  if (!rgba) throw new PixelpoolError('INVALID_OPTION', `Expected a colour for background but received '${background}'`, { option: 'background' })
  const [r, g, b, a] = rgba
  return { r, g, b, a }
}

const service = {
  ...baseService,
  async transform(inputBuffer, transform, config) {
    if (transform.format === 'svg') return { data: inputBuffer, format: 'svg' }
    const bytes = Buffer.from(inputBuffer.buffer, inputBuffer.byteOffset, inputBuffer.byteLength)
    const header = describe(bytes)
    if (header.pages > 1) {
      throw new PixelpoolError('UNSUPPORTED_OPERATION', `pixelpool/astro reads still images only; this ${header.format} has ${header.pages} frames`)
    }
    const limit = config.service.config?.limitInputPixels
    const job = { input: bytes, outputs: [outputFor(transform, header.format)], failOn: 'none' }
    if (Number.isInteger(limit)) job.limitInputPixels = limit
    const [output] = (await sharedQueue().process(job)).outputs
    return { data: output.data, format: output.format }
  },
}

export default service
