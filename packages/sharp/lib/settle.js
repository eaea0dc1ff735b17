'use strict'

const { withCallerStack } = require('pixelpool/internal')

/**
 * sharp's terminal methods return a promise, or take a node-style callback. `promise`
 * resolves to the callback's arguments after the error (an array); the returned promise
 * resolves to that array. Coded errors get the caller's `stack`. Undefined with a callback.
 */
function settle(promise, callback, stack) {
  const withStack = promise.catch((error) => {
    throw error instanceof Error && error.code ? withCallerStack(error, stack) : error
  })
  if (typeof callback !== 'function') return withStack
  withStack.then((values) => callback(null, ...values), (error) => callback(error))
  return undefined
}

module.exports = { settle }
