'use strict'

const { PixelpoolError, invalidOption } = require('pixelpool/internal')

/** sharp throws at once for a bad parameter; so does pixelpool-sharp, with a code. */
function invalidParameter(name, expected, actual) {
  return invalidOption(name, expected, actual)
}

/** An operation pixelpool-sharp cannot do: never silently ignored. */
function unsupported(method, detail = '') {
  const why = detail ? ` (${detail})` : ''
  return new PixelpoolError('UNSUPPORTED_OPERATION', `${method} is not supported by pixelpool-sharp${why}`, { option: method })
}

module.exports = { invalidParameter, unsupported, PixelpoolError }
