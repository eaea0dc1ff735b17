import { test } from 'node:test'
import assert from 'node:assert/strict'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createQueue } from '../index.mjs'
import { photo } from './helpers.mjs'

test('the event loop stays responsive while large photos are processed', async () => {
  const concurrency = 2
  const queue = createQueue({ concurrency })
  const inputs = ['budgie-sunset-beach.jpg', 'budgie-midsummer-sunrise.jpg', 'budgie-fragrant-chamomile.jpg', 'budgie-the-spices-of-life.jpg']
  assert.equal(inputs.length, 2 * concurrency)
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  let ticks = 0
  const ticker = setInterval(() => ticks++, 1)
  const started = performance.now()
  await Promise.all(
    inputs.map((name) =>
      queue.process({
        input: photo(name),
        outputs: [1600, 800, 400].flatMap((width) => [{ width, format: 'jpeg' }, { width, format: 'webp' }]),
      }),
    ),
  )
  const elapsed = performance.now() - started
  clearInterval(ticker)
  histogram.disable()
  const p99 = histogram.percentile(99) / 1e6
  assert.ok(elapsed > 100, `work took long enough to measure (${elapsed.toFixed(0)} ms)`)
  assert.ok(p99 < 20, `p99 event loop delay ${p99.toFixed(1)} ms`)
  assert.ok(ticks > elapsed / 10, `timers kept firing (${ticks} ticks in ${elapsed.toFixed(0)} ms)`)
  await queue.close()
})
