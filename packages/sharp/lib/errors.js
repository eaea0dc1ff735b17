'use strict'

const { existsSync } = require('node:fs')
const { PixelpoolError, invalidOption } = require('pixelpool/internal')

/**
 * sharp throws at once for a bad parameter; so does pixelpool-sharp, with a code. `message`
 * is for the few checks sharp words otherwise than "Expected ... for ...".
 */
function invalidParameter(name, expected, actual, message) {
  if (message === undefined) return invalidOption(name, expected, actual)
  return new PixelpoolError('INVALID_OPTION', message, { option: name })
}

/** An operation pixelpool-sharp cannot do: never silently ignored. */
function unsupported(method, detail = '') {
  const why = detail ? ` (${detail})` : ''
  return new PixelpoolError('UNSUPPORTED_OPERATION', `${method} is not supported by pixelpool-sharp${why}`, { option: method })
}

/** sharp's prebuilt libvips has no OpenJPEG: JPEG 2000 output fails in its words. */
const jp2Missing = () => new PixelpoolError('UNSUPPORTED_OPERATION', 'JP2 output requires libvips with support for OpenJPEG', { option: 'jp2' })

/**
 * sharp's wording for the input errors its users match on (a missing file, an unknown
 * format, the pixel limit, a truncated JPEG or PNG refused by failOn). The code stays pixelpool's; pixelpool's own message moves to
 * `detail`.
 */
function inSharpWords(error, input) {
  if (!(error instanceof Error) || !error.code || error.outputIndex !== undefined) return error
  const source = input?.file !== undefined ? 'file' : 'buffer'
  let message
  if (error.code === 'IO_ERROR' && input?.file !== undefined && !existsSync(input.file)) {
    // sharp's hint for markup passed where a path goes.
    message = input.file.includes('<svg')
      ? `Input file is missing, did you mean sharp(Buffer.from('${input.file.slice(0, 8)}...')?`
      : `Input file is missing: ${input.file}`
  } else if (error.code === 'UNSUPPORTED_FORMAT') {
    message = `Input ${source} contains unsupported image format`
  } else if (error.code === 'INPUT_TOO_LARGE' && /limitInputPixels|MiB/.test(error.message)) {
    // The input's size against the pixel limit or the memory bound. Work budgets (an SVG's
    // references or drawing, a JPEG's scans) keep pixelpool's words, which name what was too much.
    message = 'Input image exceeds pixel limit'
  } else if (error.code === 'INVALID_OPTION' && /^(input \S+ \(\d+ bytes\): )?Invalid pages?: /.test(error.message)) {
    message = `Input ${source} has corrupt header: bad page number`
  } else if (error.code === 'CORRUPT_INPUT' && /JPEG data is truncated \(failOn/.test(error.message)) {
    message = 'VipsJpeg: premature end of JPEG file'
  } else if (error.code === 'CORRUPT_INPUT' && /PNG data is invalid: read error/.test(error.message)) {
    message = 'vipspng: libpng read error'
  }
  if (message === undefined || error.message === message) return error
  error.detail = error.message
  error.message = message
  return error
}

/**
 * sharp reports an input libvips cannot open as a "corrupt header", naming the file or
 * buffer; metadata() and stats() read only what opening reads. pixelpool's message follows.
 */
function asCorruptHeader(error, input) {
  if (error?.code !== 'CORRUPT_INPUT' || error.outputIndex !== undefined) return error
  error.detail = error.message
  error.message = `Input ${input?.file !== undefined ? 'file' : 'buffer'} has corrupt header: ${error.message}`
  return error
}

module.exports = { invalidParameter, unsupported, jp2Missing, inSharpWords, asCorruptHeader, PixelpoolError }
