'use strict'

const { withCallerStack, captureStack } = require('pixelpool/internal')
const { inSharpWords } = require('./errors')

/**
 * sharp's terminal methods return a promise, or take a node-style callback. `promise`
 * resolves to the callback's arguments after the error (an array); the returned promise
 * resolves to that array. Coded errors get the caller's `stack`, and input errors sharp's
 * wording (`input` is the pipeline's input descriptor). Undefined with a callback.
 */
function settle(promise, callback, stack, input) {
  const withStack = promise.catch((error) => {
    throw error instanceof Error && error.code ? withCallerStack(inSharpWords(error, input), stack) : error
  })
  if (typeof callback !== 'function') return withStack
  withStack.then((values) => callback(null, ...values), (error) => callback(error))
  return undefined
}

/** The stack from the calling method's own frame down: sharp's errors name `Sharp.toBuffer`. */
function callSite() {
  return captureStack(callSite)
}

module.exports = { settle, callSite }
