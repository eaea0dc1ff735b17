'use strict'

const os = require('node:os')
const { NativeWorker } = require('../native')
const { parseArgs, usageError } = require('./args')
const { PixelpoolError } = require('../errors')

const OPTIONS = { redis: 'string', queue: 'string', name: 'string', concurrency: 'string', help: 'boolean' }

const usage = `Usage: pixelpool worker --redis URL [options]

Serves the overflow of pixelpool queues on other machines, over Redis Streams.

Options:
  --redis URL          redis://[user:password@]host[:port][/db] or rediss:// for TLS (required)
  --queue NAME         the queue's remote.name (default: default)
  --name NAME          this worker's name in logs and results (default: <host>-<pid>)
  --concurrency N      jobs at once (default: all cores)

Stops on SIGINT or SIGTERM: takes no new jobs, finishes those in hand, exits 0.
One log line per job on stderr.`

async function worker(argv, { stderr = process.stderr } = {}) {
  const { options, positionals } = parseArgs(argv, OPTIONS)
  if (options.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  if (positionals.length > 0) throw usageError(`unexpected argument '${positionals[0]}'\n\n${usage}`)
  if (!options.redis) throw usageError(`--redis URL is required\n\n${usage}`)
  const concurrency = Number(options.concurrency ?? os.availableParallelism())
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw usageError(`--concurrency takes a positive integer, not '${options.concurrency}'`)
  }
  const name = options.name ?? `${os.hostname()}-${process.pid}`
  const queue = options.queue ?? 'default'
  let native
  try {
    native = NativeWorker.start({ url: options.redis, queue, name, concurrency })
  } catch (error) {
    throw new PixelpoolError('REMOTE_UNAVAILABLE', error.message.replace(/^REMOTE_UNAVAILABLE: /, ''))
  }
  stderr.write(`pixelpool worker ${name} serving queue '${queue}' with ${concurrency} threads\n`)
  const stop = () => native.stop()
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  await native.stopped()
  process.off('SIGINT', stop)
  process.off('SIGTERM', stop)
  stderr.write(`pixelpool worker ${name} stopped\n`)
  return 0
}

module.exports = { worker, usage }
