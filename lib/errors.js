'use strict'

const { errorCodes } = require('./native')

/**
 * Every failure pixelpool reports is a PixelpoolError with a stable `code`.
 * Operational failures come from the `Errors` table below; option mistakes from
 * `invalidOption` in validate.js.
 */
class PixelpoolError extends Error {
  constructor(code, message, context = {}) {
    super(message, context.cause ? { cause: context.cause } : undefined)
    this.name = 'PixelpoolError'
    this.code = code
    for (const [key, value] of Object.entries(context)) {
      if (key !== 'cause' && value !== undefined) this[key] = value
    }
  }
}

/** The stable codes, as the native side declares them (crates/queue/src/error.rs). */
const codes = Object.freeze(errorCodes())

const Errors = {
  closed: () => new PixelpoolError('CLOSED', 'the queue is closed and accepts no more jobs'),
  aborted: (jobId, reason) =>
    new PixelpoolError('ABORTED', `job ${jobId} was aborted`, { jobId, cause: reason }),
  remoteUnavailable: (url, reason) =>
    new PixelpoolError('REMOTE_UNAVAILABLE', `remote.url ${url}: ${reason}; jobs run locally`, { option: 'remote.url' }),
}

/** Captures the caller's stack now, to attach to an error that happens later. */
function captureStack(above) {
  const holder = {}
  Error.captureStackTrace(holder, above)
  return holder.stack
}

/** Gives `error` the stack captured at the call site, keeping its own first line. */
function withCallerStack(error, stack) {
  const frames = stack.slice(stack.indexOf('\n'))
  error.stack = `${error.name} [${error.code}]: ${error.message}${frames}`
  return error
}

/** A native `{ code, message, outputIndex }` as a PixelpoolError for job `jobId`. */
function fromNative(native, context) {
  return new PixelpoolError(native.code, native.message, { ...context, outputIndex: native.outputIndex })
}

/** An error the native side threw with its code as `code`, as a PixelpoolError; others unchanged. */
function fromNativeThrow(error, context = {}) {
  if (error instanceof PixelpoolError || !codes.includes(error?.code)) return error
  return new PixelpoolError(error.code, error.message, context)
}

module.exports = { PixelpoolError, Errors, codes, captureStack, withCallerStack, fromNative, fromNativeThrow }
