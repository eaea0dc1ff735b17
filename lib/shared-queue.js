'use strict'

const fs = require('node:fs')
const path = require('node:path')
const os = require('node:os')
const { createQueue } = require('./queue')
const { invalidOption } = require('./validate')

/**
 * The one queue a process's pixelpool-sharp pipelines and Astro image service share,
 * created on first use (so a process that loads them but never uses them exits as before). A site's code is not the user's to
 * change, so its options come from the environment or a `pixelpool` key in the package.json
 * of the working directory, with createQueue()'s names; the environment wins.
 */
const environment = {
  concurrency: ['PIXELPOOL_CONCURRENCY', Number],
  maxQueue: ['PIXELPOOL_MAX_QUEUE', Number],
  cacheDir: ['PIXELPOOL_CACHE_DIR', String],
  cacheMaxBytes: ['PIXELPOOL_CACHE_MAX_BYTES', Number],
  remote: ['PIXELPOOL_REMOTE', (url) => ({ url })],
}

function packageOptions(directory) {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8'))
    return manifest.pixelpool && typeof manifest.pixelpool === 'object' ? manifest.pixelpool : {}
  } catch {
    return {}
  }
}

function configuredOptions(env = process.env, directory = process.cwd()) {
  const options = { ...packageOptions(directory) }
  for (const [name, [variable, parse]] of Object.entries(environment)) {
    if (env[variable] !== undefined && env[variable] !== '') options[name] = parse(env[variable])
  }
  return options
}

let queue = null
let concurrencyOverride = null

function sharedQueue() {
  if (!queue) {
    const options = configuredOptions()
    if (concurrencyOverride !== null) options.concurrency = concurrencyOverride
    queue = createQueue(options)
  }
  return queue
}

/** sharp.concurrency(): the queue's threads; setting one replaces the queue (the old one finishes its jobs). */
function concurrency(threads) {
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 0) throw invalidOption('concurrency', 'integer', threads)
    concurrencyOverride = threads === 0 ? os.availableParallelism() : threads
    if (queue) {
      const old = queue
      queue = null
      old.close()
    }
  }
  return concurrencyOverride ?? configuredOptions().concurrency ?? os.availableParallelism()
}

/** The shared queue's counters, with nothing started when it was never used. */
function queueStats() {
  return queue ? queue.stats() : null
}

module.exports = { sharedQueue, concurrency, queueStats, configuredOptions }
