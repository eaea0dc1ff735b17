'use strict'

const { Sharp } = require('./lib/sharp')
const { geometry } = require('./lib/geometry')
const { operations } = require('./lib/operations')
const { output } = require('./lib/output')
const { inspect } = require('./lib/inspect')
const { composite } = require('./lib/composite')
const { bands } = require('./lib/bands')
const { tile } = require('./lib/tile')
const { attachStatics } = require('./lib/statics')

Object.assign(Sharp.prototype, geometry, operations, bands, composite, output, inspect, { tile })

/** sharp(input?, options?): a pipeline on pixelpool's shared queue. See README "pixelpool-sharp". */
function sharp(...args) {
  return new Sharp(...args)
}
attachStatics(sharp)
sharp.Sharp = Sharp

module.exports = sharp
module.exports.default = sharp
