// One side of one workload, in its own process: prints a JSON line with its numbers.
// argv: <side> <workload> <json options>
import { mkdirSync } from 'node:fs'
import { w1, w2 } from './workloads.mjs'
import { sweep } from './sweep-workload.mjs'

const [side, workload, json] = process.argv.slice(2)
const options = JSON.parse(json)
const workloads = { w1, w2, sweep }
mkdirSync(options.out, { recursive: true })

if (side === 'sharp') {
  const { default: sharp } = await import('sharp')
  sharp.concurrency(options.sharpConcurrency)
  sharp.cache(false) // every job is new work, as in a build
  options.sharp = sharp
} else {
  const { createQueue } = await import('../index.mjs')
  options.queue = createQueue({ concurrency: options.concurrency, maxQueue: 1_000_000, profile: true, remote: options.remote })
  await options.queue.waitUntilReady()
}
const result = await workloads[workload][side](options)
await options.queue?.close()
result.peakRss = process.resourceUsage().maxRSS * 1024
process.stdout.write(`${JSON.stringify(result)}\n`)
