'use strict'

const { invalidParameter } = require('./errors')

/** sharp's parameter checks: each returns the value or throws INVALID_OPTION naming it. */
function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)
}

function integerIn(value, name, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) throw invalidParameter(name, `integer between ${min} and ${max}`, value)
  return value
}

function numberIn(value, name, min, max) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidParameter(name, `number between ${min} and ${max}`, value)
  }
  return value
}

module.exports = { isPlainObject, integerIn, numberIn }
