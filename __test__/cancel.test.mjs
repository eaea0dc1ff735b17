import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createQueue } from '../index.mjs'
import { photo, scratch, filesIn, rejectsWith } from './helpers.mjs'

const big = photo('budgie-sunset-beach.jpg') // 25 MP: long enough to abort mid-run

test('aborting a queued job removes it: ABORTED, never run, nothing written', async (t) => {
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1 })
  const running = queue.process({ input: big, outputs: [{ width: 2000, format: 'jpeg' }] })
  const controller = new AbortController()
  const queued = queue.process({ input: big, signal: controller.signal, outputs: [{ path: path.join(dir, 'queued.webp'), width: 100 }] })
  controller.abort()
  const error = await rejectsWith(queued, 'ABORTED')
  assert.equal(typeof error.jobId, 'number')
  await running
  await queue.drain()
  assert.equal(queue.stats().cancelled, 1)
  assert.equal(queue.stats().completed, 1)
  assert.deepEqual(filesIn(dir), [])
  await queue.close()
})

test('aborting a running job rejects at once and its outputs are never written', async (t) => {
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1 })
  const controller = new AbortController()
  const job = queue.process({ input: big, signal: controller.signal, outputs: [{ path: path.join(dir, 'running.jpg'), width: 3000 }] })
  await new Promise((resolve) => setTimeout(resolve, 30))
  assert.equal(queue.stats().running, 1)
  const abortedAt = performance.now()
  controller.abort()
  await rejectsWith(job, 'ABORTED')
  assert.ok(performance.now() - abortedAt < 50, 'rejects without waiting for the job')
  await queue.drain()
  assert.deepEqual(filesIn(dir), [], 'abandoned output not written')
  assert.equal(queue.stats().cancelled, 1)
  const after = await queue.process({ input: photo('kodak-kodim01.png'), outputs: [{ width: 32, format: 'png' }] })
  assert.equal(after.outputs[0].width, 32, 'the queue keeps working')
  await queue.close()
})

test('an already aborted signal rejects before any work', async () => {
  const queue = createQueue()
  const error = await rejectsWith(
    queue.process({ input: big, signal: AbortSignal.abort(new Error('user gave up')), outputs: [{ width: 10, format: 'png' }] }),
    'ABORTED',
  )
  assert.equal(error.cause.message, 'user gave up')
  assert.equal(queue.stats().completed + queue.stats().cancelled, 0)
  await queue.close()
})

/** CPU milliseconds this process has spent since `from` (a process.cpuUsage()). */
const cpuSince = (from) => {
  const used = process.cpuUsage(from)
  return (used.user + used.system) / 1000
}

test('aborting a running SVG render frees its thread at the next node, not at the end', async () => {
  // 150 blurred squares: each a layer and a blur, a few seconds in all, within the budget.
  const squares = Array.from({ length: 150 }, (_, i) =>
    `<rect x="${(i * 37) % 800}" y="${(i * 53) % 800}" width="200" height="200" fill="#${(i % 9) * 111}" filter="url(#b)"/>`).join('')
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000"><filter id="b"><feGaussianBlur stdDeviation="5"/></filter>${squares}</svg>`)
  const job = (signal) => ({ input: svg, signal, outputs: [{ format: 'png', compressionLevel: 0 }] })
  const queue = createQueue({ concurrency: 1 })
  // The control: the whole render's CPU time.
  let from = process.cpuUsage()
  await queue.process(job())
  const whole = cpuSince(from)

  const controller = new AbortController()
  from = process.cpuUsage()
  const aborted = queue.process(job(controller.signal))
  while (queue.stats().running === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  controller.abort()
  await rejectsWith(aborted, 'ABORTED')
  // The native side lets go of the job when the renderer stops.
  while (queue.stats().running > 0) await new Promise((resolve) => setTimeout(resolve, 5))
  const spent = cpuSince(from)
  assert.ok(spent < whole / 2, `an aborted render spent ${spent} ms of CPU; the whole one ${whole} ms`)
  const after = await queue.process({ input: photo('kodak-kodim01.png'), outputs: [{ width: 32, format: 'png' }] })
  assert.equal(after.outputs[0].width, 32, 'the queue keeps working')
  await queue.close()
})
