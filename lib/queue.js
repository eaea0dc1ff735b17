'use strict'

const { NativeQueue } = require('./native')
const validate = require('./validate')
const { Errors, captureStack, withCallerStack, fromNative } = require('./errors')

/**
 * A queue of image jobs run natively on its own thread pool. See docs/api.md.
 */
class Queue {
  #native
  #options
  #nextId = 1
  #unsettled = new Set()
  #idleWaiters = []
  #closing = null
  #remoteFailure

  constructor(options) {
    this.#options = validate.queueOptions(options)
    const { concurrency, maxQueue, cacheDir, cacheMaxBytes, remote } = this.#options
    // Natively, `name` is always the worker's: the queue's name travels as `queue`.
    const nativeRemote = remote && { ...remote, name: undefined, queue: remote.name }
    this.#native = new NativeQueue({ concurrency, maxQueue, cacheDir, cacheMaxBytes, remote: nativeRemote })
    // Redis is reached off the JS thread; meanwhile, and if it never answers, jobs run here.
    this.#remoteFailure = remote ? this.#native.remoteReady() : Promise.resolve(null)
    this.#remoteFailure.then((reason) => {
      if (reason !== null) {
        const { message, code } = this.#remoteUnavailable(reason)
        process.emitWarning(message, { code })
      }
    })
  }

  /**
   * Resolves once the remote connection is up (at once without `remote`); rejects with
   * REMOTE_UNAVAILABLE when Redis cannot be reached or refuses the credentials. The queue
   * works locally either way.
   */
  async waitUntilReady() {
    const stack = captureStack(this.waitUntilReady)
    const reason = await this.#remoteFailure
    if (reason !== null) throw withCallerStack(this.#remoteUnavailable(reason), stack)
  }

  #remoteUnavailable(reason) {
    return Errors.remoteUnavailable(validate.redactUrl(this.#options.remote.url), reason)
  }

  /** Runs one job: one decode, every output. Resolves to its result; rejects with a coded error. */
  process(job) {
    const stack = captureStack(this.process)
    const reject = (error) => Promise.reject(withCallerStack(error, stack))
    if (this.#closing) return reject(Errors.closed())
    const id = this.#nextId++
    let nativeJob
    try {
      nativeJob = validate.job(job, id, this.#options)
    } catch (error) {
      return reject(error)
    }
    if (job.signal?.aborted) return reject(Errors.aborted(id, job.signal.reason))
    // Settles, never throws: a value the native conversion refuses settles as INVALID_OPTION.
    const submitted = this.#native.submit(nativeJob)
    const { signal } = job
    const settled = this.#track(submitted)
    const context = { jobId: id, input: nativeJob.inputPath }
    return new Promise((resolve, fail) => {
      const onAbort = () => {
        // A queued job is removed and settles natively as ABORTED; a running one is
        // abandoned: its outputs are never written, and the caller need not wait for it.
        if (this.#native.cancel(id) === 'abandoned') fail(withCallerStack(Errors.aborted(id, signal.reason), stack))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      settled.then(({ error, result }) => {
        signal?.removeEventListener('abort', onAbort)
        if (error) fail(withCallerStack(fromNative(error, context), stack))
        else resolve(shapeResult(result, this.#options.profile))
      })
    })
  }

  /** Counts of queued and running jobs, and totals since the queue was created. */
  stats() {
    return this.#native.stats()
  }

  /** Resolves once nothing is queued, running or out with remote workers. */
  drain() {
    if (this.#unsettled.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  /**
   * Stops accepting jobs (new ones reject with CLOSED), lets accepted jobs finish (remote
   * ones too, or their timeout), then frees the pool threads and deletes the queue's reply
   * stream. Idempotent.
   */
  close() {
    this.#closing ??= (async () => {
      this.#native.close()
      await this.drain()
      await this.#remoteFailure
      await this.#native.destroy()
    })()
    return this.#closing
  }

  #track(promise) {
    this.#unsettled.add(promise)
    return promise.finally(() => {
      this.#unsettled.delete(promise)
      if (this.#unsettled.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve()
    })
  }
}

function shapeResult(native, withProfile) {
  const outputs = native.outputs.map(({ path, data, format, width, height, size, trimOffset, cropOffset, attention }) => {
    const output = path === undefined ? { data, format, width, height, size } : { path, format, width, height, size }
    if (trimOffset) output.trimOffset = trimOffset
    if (cropOffset) output.cropOffset = cropOffset
    if (attention) output.attention = attention
    return output
  })
  const result = { id: native.id, input: native.input, outputs, ranOn: native.ranOn, cached: native.cached, ms: native.ms }
  if (native.worker !== undefined) result.worker = native.worker
  if (withProfile) result.profile = native.profile
  return result
}

/** Creates a queue. Throws INVALID_OPTION synchronously on bad options. */
function createQueue(options) {
  try {
    return new Queue(options)
  } catch (error) {
    throw withCallerStack(error, captureStack(createQueue))
  }
}

module.exports = { Queue, createQueue }
