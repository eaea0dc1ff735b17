import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createQueue } from '../index.mjs'
import { photo } from './helpers.mjs'

test('higher priority runs first, equal priorities in submission order', async () => {
  const queue = createQueue({ concurrency: 1 })
  const finished = []
  const submit = (name, priority) =>
    queue
      .process({ input: photo('kodak-kodim03.png'), priority, outputs: [{ width: 64, format: 'png' }] })
      .then(() => finished.push(name))
  // The first job occupies the only thread while the rest queue up behind it.
  const blocker = queue.process({ input: photo('budgie-sunset-beach.jpg'), outputs: [{ width: 1500, format: 'jpeg' }] })
  while (queue.stats().running === 0) await new Promise((resolve) => setTimeout(resolve, 1))
  const jobs = [
    blocker.then(() => finished.push('blocker')),
    submit('low-a', -1),
    submit('mid-a', 0),
    submit('high', 10),
    submit('mid-b', 0),
    submit('low-b', -1),
    submit('higher', 20),
  ]
  await Promise.all(jobs)
  assert.deepEqual(finished, ['blocker', 'higher', 'high', 'mid-a', 'mid-b', 'low-a', 'low-b'])
  await queue.close()
})
