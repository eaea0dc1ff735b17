'use strict'

const native = require('./native')
const { PixelpoolError, fromNative } = require('./errors')
const { DEFAULT_LIMIT_INPUT_PIXELS } = require('./schema')

/**
 * Text as a job input: sharp's `{ text }` (libvips' vips_text), Pango markup drawn with the
 * system's fonts, `fontfile`, else the bundled DejaVu Sans (crates/engine/src/text). Resolves
 * to `{ input, width, height, dpi, autofitDpi }`: `input` is a Buffer to pass as a job's `input` (one
 * band of ink coverage, or RGBA with `rgba`), `dpi` the resolution drawn at, `autofitDpi` libvips'
 * `autofit_dpi` (autofit's choice when `width` and `height` are given without `dpi`, else 72). Drawn off the JS thread; the drawing
 * must stay within `limitInputPixels` (INPUT_TOO_LARGE otherwise, found before drawing).
 */
async function textInput(options) {
  if (options === null || typeof options !== 'object' || typeof options.text !== 'string') {
    throw new PixelpoolError('INVALID_OPTION', 'text: expected { text } with text a string', { option: 'text' })
  }
  const { limitInputPixels = DEFAULT_LIMIT_INPUT_PIXELS, ...spec } = options
  const { input, width, height, dpi, autofitDpi, warnings, error } = await native.textInput(JSON.stringify(spec), limitInputPixels)
  if (error) throw fromNative(error, { option: 'text' })
  return { input, width, height, dpi, autofitDpi, warnings }
}

module.exports = { textInput }
