'use strict'

const { invalidParameter } = require('./errors')

/** sharp's parameter checks: each returns the value or throws INVALID_OPTION naming it. */
function isPlainObject(value) {
  return Object.prototype.toString.call(value) === '[object Object]'
}

/** sharp's is.number: a number, and finite. */
const isNumber = (value) => typeof value === 'number' && Number.isFinite(value)

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

module.exports = { isPlainObject, isNumber, integerIn, numberIn }
