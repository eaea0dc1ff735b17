'use strict'

const { invalidParameter } = require('./errors')
const { isPlainObject, integerIn } = require('./checks')
const { gravity: gravities } = require('./constants')
const { extraInput } = require('./extra-inputs')

/** sharp's blend names (and their American spellings) as the engine's. */
const blend = {
  clear: 'clear', source: 'source', over: 'over', in: 'in', out: 'out', atop: 'atop', dest: 'dest',
  'dest-over': 'dest-over', 'dest-in': 'dest-in', 'dest-out': 'dest-out', 'dest-atop': 'dest-atop',
  xor: 'xor', add: 'add', saturate: 'saturate', multiply: 'multiply', screen: 'screen', overlay: 'overlay',
  darken: 'darken', lighten: 'lighten', 'colour-dodge': 'colour-dodge', 'color-dodge': 'colour-dodge',
  'colour-burn': 'colour-burn', 'color-burn': 'colour-burn', 'hard-light': 'hard-light',
  'soft-light': 'soft-light', difference: 'difference', exclusion: 'exclusion',
}

/** The engine's gravity names, by sharp's gravity number. */
const gravityNames = ['centre', 'north', 'east', 'south', 'west', 'northeast', 'southeast', 'southwest', 'northwest']

/** The input options sharp reads from a composite entry beside its `input`. */
const inputOptionNames = [
  'raw', 'density', 'limitInputPixels', 'ignoreIcc', 'unlimited', 'sequentialRead', 'failOn', 'failOnError',
  'animated', 'page', 'pages', 'subifd', 'autoOrient', 'create', 'text',
]

function inputOptionsOf(image) {
  const present = inputOptionNames.filter((name) => image[name] !== undefined)
  return present.length ? Object.fromEntries(present.map((name) => [name, image[name]])) : undefined
}

function gravityOf(value) {
  if (Number.isInteger(value) && value >= 0 && value <= 8) return value
  if (typeof value === 'string' && Number.isInteger(gravities[value])) return gravities[value]
  throw invalidParameter('gravity', 'valid gravity', value)
}

function booleanOf(value, name) {
  if (typeof value !== 'boolean') throw invalidParameter(name, 'boolean', value)
  return value
}

/** One entry of `composite([...])`, checked as sharp checks it. */
function overlayOf(image) {
  if (!isPlainObject(image)) throw invalidParameter('image to composite', 'object', image)
  const input = extraInput(image.input, inputOptionsOf(image))
  const overlay = { input, blend: 'over', tile: false, gravity: 'centre', premultiplied: false }
  if (image.blend !== undefined) {
    if (typeof blend[image.blend] !== 'string') throw invalidParameter('blend', 'valid blend name', image.blend)
    overlay.blend = blend[image.blend]
  }
  if (image.tile !== undefined) overlay.tile = booleanOf(image.tile, 'tile')
  const left = image.left !== undefined ? integerIn(image.left, 'left', -100000000, 100000000) : undefined
  const top = image.top !== undefined ? integerIn(image.top, 'top', -100000000, 100000000) : undefined
  if ((left === undefined) !== (top === undefined)) throw new Error('Expected both left and top to be set')
  if (left !== undefined) overlay.offset = [left, top]
  if (image.gravity !== undefined) overlay.gravity = gravityNames[gravityOf(image.gravity)]
  if (image.premultiplied !== undefined) overlay.premultiplied = booleanOf(image.premultiplied, 'premultiplied')
  return overlay
}

const methods = {
  /** sharp's `composite(images)`: each image checked now, read when the pipeline runs. */
  composite(images) {
    if (!Array.isArray(images)) throw invalidParameter('images to composite', 'array', images)
    this.options.composite = images.map(overlayOf)
    return this
  },
}

module.exports = { composite: methods, blend }
