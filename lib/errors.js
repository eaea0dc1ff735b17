'use strict'

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

const codes = Object.freeze([
  'INVALID_OPTION',
  'UNSUPPORTED_FORMAT',
  'CORRUPT_INPUT',
  'INPUT_TOO_LARGE',
  'QUEUE_FULL',
  'ABORTED',
  'CLOSED',
  'REMOTE_UNAVAILABLE',
  'IO_ERROR',
  'INTERNAL',
  'UNSUPPORTED_OPERATION',
])

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

/** An error thrown natively as "CODE: message" as a PixelpoolError; others unchanged. */
function fromNativeThrow(error, context = {}) {
  if (error instanceof PixelpoolError) return error
  const match = /^([A-Z_]+): ([\s\S]*)$/.exec(error?.message ?? '')
  if (!match || !codes.includes(match[1])) return error
  return new PixelpoolError(match[1], match[2], context)
}

module.exports = { PixelpoolError, Errors, codes, captureStack, withCallerStack, fromNative, fromNativeThrow }
