'use strict'

const os = require('node:os')
const { startWorker } = require('../native')
const { fromNativeThrow } = require('../errors')

/**
 * `pixelpool worker`: the native front end (crates/remote/src/front.rs) parses the flags,
 * connects and logs; Node only turns SIGINT and SIGTERM into a stop.
 */
async function worker(argv) {
  let native
  try {
    native = startWorker(argv, os.hostname())
  } catch (error) {
    throw fromNativeThrow(error)
  }
  if (native === null) return 0
  const stop = () => native.stop()
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  await native.stopped()
  process.off('SIGINT', stop)
  process.off('SIGTERM', stop)
  return 0
}

module.exports = { worker }
