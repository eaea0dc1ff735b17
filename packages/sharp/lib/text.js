'use strict'

const { textInput } = require('pixelpool/internal')
const { invalidParameter } = require('./errors')
const { isPlainObject, integerIn } = require('./checks')

/** sharp's alignment names, as the engine's text alignments (libvips' low, centre, high). */
const alignments = { left: 'left', top: 'left', low: 'left', center: 'centre', centre: 'centre', right: 'right', bottom: 'right', high: 'right' }
const wraps = ['word', 'char', 'word-char', 'none']

/**
 * `{ text: { text, font, fontfile, width, height, align, justify, dpi, rgba, spacing, wrap } }`
 * in the engine's shape (crates/engine/src/text), checked with sharp's messages. As sharp
 * passes them to libvips: `height` only with `width` (the box autofit fills), else `dpi`.
 * Only the settings given: the defaults are the engine's, libvips'.
 */
function textOptions(text) {
  if (!isPlainObject(text) || typeof text.text !== 'string') {
    throw invalidParameter('text', 'object with text', text, 'Expected a valid string to create an image with text.')
  }
  if (text.height !== undefined && text.dpi !== undefined) throw invalidParameter('text', 'one of dpi or height', text, 'Expected only one of dpi or height')
  const spec = { text: text.text }
  for (const name of ['font', 'fontfile']) {
    if (text[name] === undefined) continue
    if (typeof text[name] !== 'string') throw invalidParameter(`text.${name}`, 'string', text[name])
    spec[name] = text[name]
  }
  for (const name of ['width', 'height', 'dpi']) {
    if (text[name] !== undefined) spec[name] = integerIn(text[name], `text.${name}`, 1, 1000000)
  }
  if (text.align !== undefined) {
    if (typeof text.align !== 'string' || !Object.hasOwn(alignments, text.align)) throw invalidParameter('text.align', 'valid alignment', text.align)
    spec.align = alignments[text.align]
  }
  for (const name of ['justify', 'rgba']) {
    if (text[name] === undefined) continue
    if (typeof text[name] !== 'boolean') throw invalidParameter(`text.${name}`, name === 'rgba' ? 'bool' : 'boolean', text[name])
    spec[name] = text[name]
  }
  if (text.spacing !== undefined) spec.spacing = integerIn(text.spacing, 'text.spacing', -1000000, 1000000)
  if (text.wrap !== undefined) {
    if (!wraps.includes(text.wrap)) throw invalidParameter('text.wrap', `one of: ${wraps.join(', ')}`, text.wrap)
    spec.wrap = text.wrap
  }
  if (spec.height !== undefined && spec.width === undefined) delete spec.height
  return spec
}

/** The drawn text of a descriptor: `{ input, dpi, autofitDpi }`, `input` the raw container stating its dpi. */
function drawnText(descriptor) {
  return textInput({ ...descriptor.text, limitInputPixels: descriptor.limitInputPixels })
}

module.exports = { textOptions, drawnText }
