'use strict'

const { joinInput } = require('pixelpool/internal')
const { invalidParameter } = require('./errors')
const { isPlainObject } = require('./checks')
const { colourOf } = require('./geometry')

/** sharp's alignment names, as libvips' VipsAlign (crates/engine/src/join.rs `Align`). */
const alignments = { left: 'low', top: 'low', low: 'low', center: 'centre', centre: 'centre', right: 'high', bottom: 'high', high: 'high' }

/**
 * `sharp([a, b, ...], { join })`: the join's settings in the engine's shape, checked with
 * sharp's messages (whose stated ranges are a tenth of what sharp accepts, as here). Only
 * the settings given: the defaults are the engine's (crates/engine/src/join.rs), sharp's.
 */
function joinOptions(join = {}) {
  if (!isPlainObject(join)) throw invalidParameter('join', 'object', join)
  const settings = {}
  if (join.animated !== undefined) {
    if (typeof join.animated !== 'boolean') throw invalidParameter('join.animated', 'boolean', join.animated)
    settings.animated = join.animated
  }
  if (join.across !== undefined) {
    if (!Number.isInteger(join.across) || join.across < 1 || join.across > 1000000) throw invalidParameter('join.across', 'integer between 1 and 100000', join.across)
    settings.across = join.across
  }
  if (join.shim !== undefined) {
    if (!Number.isInteger(join.shim) || join.shim < 0 || join.shim > 1000000) throw invalidParameter('join.shim', 'integer between 0 and 100000', join.shim)
    settings.shim = join.shim
  }
  if (join.background !== undefined) {
    const [r, g, b, a = 255] = colourOf(join.background, 'join.background')
    settings.background = { r, g, b, a }
  }
  for (const side of ['halign', 'valign']) {
    if (join[side] === undefined) continue
    if (typeof join[side] !== 'string' || !Object.hasOwn(alignments, join[side])) throw invalidParameter(`join.${side}`, 'valid alignment', join[side])
    settings[side] = alignments[join[side]]
  }
  return settings
}

/** The join container of a joined descriptor, its images read by `engineInput`. */
async function joinedBytes(descriptor, engineInput) {
  const inputs = await Promise.all(descriptor.join.members.map(engineInput))
  return joinInput(JSON.stringify({ ...descriptor.join.settings, inputs }))
}

module.exports = { joinOptions, joinedBytes }
