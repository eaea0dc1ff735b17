'use strict'

const { Duplex } = require('node:stream')
const { defaultOptions, copyOptions } = require('./options')
const { parseInput } = require('./input')
const { invalidParameter } = require('./errors')

let nextSource = 1

/**
 * A pipeline, as sharp's: chained calls record options; a terminal call (`toBuffer`,
 * `toFile`, reading the stream) sends it to the shared queue. A Duplex, so a stream can be
 * piped in (the input) and out (the encoded output).
 */
class Sharp extends Duplex {
  constructor(input, options) {
    // sharp(): a stream; sharp(undefined) or sharp(null): a mistake, as sharp says.
    if (arguments.length === 1 && (input === undefined || input === null)) {
      throw invalidParameter('input', 'an input', input, 'Invalid input')
    }
    super()
    this.options = defaultOptions()
    this.options.input = parseInput(input, options)
    if (this.options.input.stream) {
      // Clones share the streamed bytes through `source`.
      this.options.input.source = `stream:${nextSource++}`
      this.streamedInput = collect(this)
    }
  }

  clone() {
    const clone = new Sharp()
    // A clone reads its original's input: it collects no stream of its own (as sharp's,
    // it listens for no 'finish').
    clone.removeAllListeners('finish')
    clone.removeAllListeners('error')
    clone.options = copyOptions(this.options)
    clone.streamedInput = this.streamedInput
    return clone
  }

  _write(chunk, _encoding, callback) {
    if (!this.chunks) callback(new Error('Unexpected data on Writable Stream'))
    else if (!Buffer.isBuffer(chunk)) callback(new Error('Non-Buffer data on Writable Stream'))
    else {
      this.chunks.push(chunk)
      callback()
    }
  }

  /** As sharp: the output once, then its end; 'info' before the data, 'error' instead of it. */
  _read() {
    if (this.reading) return
    this.reading = true
    this.toBuffer({ resolveWithObject: true }).then(
      ({ data, info }) => {
        this.emit('info', info)
        this.push(data)
      },
      (error) => this.emit('error', error),
    ).finally(() => {
      this.push(null)
      this.on('end', () => this.emit('close'))
    })
  }
}

/** The bytes written to a stream-input pipeline, once it finishes. */
function collect(instance) {
  instance.chunks = []
  return new Promise((resolve, reject) => {
    instance.once('finish', () => resolve(Buffer.concat(instance.chunks)))
    instance.once('error', reject)
  })
}

module.exports = { Sharp }
