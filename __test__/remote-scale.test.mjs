// Remote overflow at scale: one producer and eight worker processes, Redis down for two
// seconds mid-batch, and Redis with little memory. Real redis-server, real `pixelpool
// worker` processes, the queue in this process.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createQueue } from '../index.js'
import { assertImage, bigJob, photo, scratch } from './helpers.mjs'
import { startRedis, startWorker } from './redis.mjs'

let nextQueue = 0
const queueName = () => `scale-${process.pid}-${nextQueue++}`

/** Runs every job, counting how often each settles, and fails on a second settling. */
async function settleAll(queue, jobs) {
  const settled = new Array(jobs.length).fill(0)
  const results = await Promise.all(
    jobs.map((job, i) =>
      queue.process(job).finally(() => {
        settled[i] += 1
      }),
    ),
  )
  await sleep(200) // a late second settling would show here
  assert.deepEqual(settled, new Array(jobs.length).fill(1), 'each job settled exactly once')
  return results
}

const blobKeys = (redis, name) => redis.cli('--scan', '--pattern', `pixelpool:${name}:blob:*`).split('\n').filter(Boolean)

test('one producer, eight workers of one thread, 300 jobs: none lost or doubled, every worker serves', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  const workers = Array.from({ length: 8 }, (_, i) => `w${i}`)
  await Promise.all(workers.map((worker) => startWorker(t, redis, { queue: name, name: worker })))
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 1 } })
  await queue.waitUntilReady()
  const jobs = Array.from({ length: 300 }, (_, i) => ({
    input: photo(i % 2 ? 'kodak-kodim23.png' : 'kodak-kodim08.png'),
    outputs: [{ width: 96 + (i % 50), format: 'webp' }],
  }))
  const results = await settleAll(queue, jobs)
  results.forEach((result, i) => assert.equal(result.outputs[0].width, 96 + (i % 50), `job ${i}`))
  const served = new Set(results.filter((r) => r.ranOn === 'remote').map((r) => r.worker))
  assert.deepEqual([...served].sort(), workers, 'every worker served some jobs')
  const stats = queue.stats()
  assert.deepEqual([stats.completed, stats.failed, stats.queued, stats.running, stats.remote], [300, 0, 0, 0, 0])
  await queue.close()
  assert.deepEqual(blobKeys(redis, name), [], 'every blob was deleted once its job settled')
})

test('Redis down for 2 s, 3 s into a 96-job batch: 96/96 complete, and the worker serves again', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  await startWorker(t, redis, { queue: name, name: 'steady' })
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 1, timeoutMs: 4000 } })
  await queue.waitUntilReady()
  const batch = settleAll(queue, Array.from({ length: 96 }, (_, id) => bigJob(dir, id)))
  await sleep(3000)
  assert.ok(queue.stats().forwarded > 0, 'jobs were out when Redis went down')
  await redis.restart({ downMs: 2000 })
  const results = await batch
  assert.equal(results.length, 96)
  for (const id of [0, 47, 95]) {
    await assertImage(path.join(dir, `${id}.webp`), { format: 'webp', width: 320, height: 213 })
  }
  // The worker reconnects and recreates its consumer group; the queue forwards to it again.
  const beats = () => redis.cli('ZSCORE', `pixelpool:${name}:workers`, 'steady') !== ''
  for (let i = 0; i < 500 && !beats(); i++) await sleep(20)
  const again = await settleAll(queue, Array.from({ length: 12 }, (_, id) => bigJob(dir, `again-${id}`)))
  assert.ok(again.some((r) => r.ranOn === 'remote' && r.worker === 'steady'), 'served after the restart')
  await queue.close()
})

test('Redis with maxmemory 8mb: 32/32 complete, most here, none lost', async (t) => {
  const redis = await startRedis(t, { settings: ['--maxmemory', '8mb', '--maxmemory-policy', 'noeviction'] })
  const name = queueName()
  await startWorker(t, redis, { queue: name, name: 'cramped' })
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 0, timeoutMs: 4000 } })
  await queue.waitUntilReady()
  const results = await settleAll(queue, Array.from({ length: 32 }, (_, id) => bigJob(dir, id)))
  for (let id = 0; id < 32; id++) {
    await assertImage(path.join(dir, `${id}.jpg`), { format: 'jpeg', width: 160, height: 107 })
  }
  const local = results.filter((r) => r.ranOn === 'local').length
  assert.ok(local > 16, `${local} of 32 ran here`)
  await queue.close()
})
