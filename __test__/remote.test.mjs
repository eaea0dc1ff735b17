// Remote overflow end to end: a real redis-server, real `pixelpool worker` processes (the
// npm bin), the queue in this process. The fault tests 1, 2, 3, 5 and 6 are here;
// 4 (a malformed stream entry) is in crates/remote/tests/worker.rs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createQueue } from '../index.js'
import { assertImage, bigJob, photo, rejectsWith, root, scratch } from './helpers.mjs'
import { startRedis, startWorker } from './redis.mjs'

let nextQueue = 0
const queueName = () => `test-${process.pid}-${nextQueue++}`

async function assertBigOutputs(dir, id) {
  await assertImage(path.join(dir, `${id}.webp`), { format: 'webp', width: 320, height: 213 })
  await assertImage(path.join(dir, `${id}.jpg`), { format: 'jpeg', width: 160, height: 107 })
}

async function until(what, condition, ms = 20_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(10)
  }
}

/** Every `pixelpool:*` key with no TTL (TTL -1). */
function keysWithoutTtl(redis) {
  const keys = redis.cli('--scan', '--pattern', 'pixelpool:*').split('\n').filter(Boolean)
  return keys.filter((key) => redis.cli('TTL', key) === '-1')
}

test('the backlog goes to a live worker; results say where they ran', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  await startWorker(t, redis, { queue: name, name: 'far-away' })
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 1 } })
  await queue.waitUntilReady()
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => queue.process(bigJob(dir, i))))
  const remote = results.filter((r) => r.ranOn === 'remote')
  assert.ok(remote.length > 0, 'some jobs ran remotely')
  assert.ok(remote.length < 12, 'some jobs ran here')
  for (const result of results) {
    assert.equal(result.worker, result.ranOn === 'remote' ? 'far-away' : undefined)
    assert.deepEqual(result.input, { format: 'jpeg', width: 3840, height: 2560, orientation: 1, hasAlpha: false, pages: 1, warnings: [] })
    assert.deepEqual(result.outputs.map((o) => [o.width, o.height]), [[320, 213], [160, 107]])
  }
  for (let id = 0; id < 12; id++) await assertBigOutputs(dir, id)
  // Jobs no worker had started may have been taken back to run here at the end.
  assert.ok(queue.stats().forwarded >= remote.length)
  await queue.close()
})

test('fault 1: a worker killed mid-batch loses nothing; every job resolves once', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  const worker = await startWorker(t, redis, { queue: name, name: 'doomed' })
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 1, timeoutMs: 3000 } })
  await queue.waitUntilReady()
  const settled = new Map()
  const jobs = Array.from({ length: 50 }, (_, id) =>
    queue.process(bigJob(dir, id)).then(
      (result) => settled.set(id, [...(settled.get(id) ?? []), result]),
      (error) => settled.set(id, [...(settled.get(id) ?? []), error]),
    ),
  )
  await until('the worker holds jobs', () => queue.stats().remote >= 2 && queue.stats().forwarded >= 3)
  worker.child.kill('SIGKILL')
  await worker.exited
  await Promise.all(jobs)
  assert.equal(settled.size, 50)
  for (const [id, outcomes] of settled) {
    assert.equal(outcomes.length, 1, `job ${id} settled once`)
    assert.ok(!(outcomes[0] instanceof Error), `job ${id}: ${outcomes[0].message}`)
    await assertBigOutputs(dir, id)
  }
  const ranOn = [...settled.values()].map(([r]) => r.ranOn)
  assert.ok(ranOn.includes('remote'), 'the worker finished some before it died')
  await queue.close()
})

test('fault 2: a Redis restart mid-batch; every job resolves within timeoutMs, and forwarding resumes', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  const worker = await startWorker(t, redis, { queue: name, name: 'survivor' })
  const dir = scratch(t)
  const timeoutMs = 3000
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 1, timeoutMs } })
  await queue.waitUntilReady()
  const batch = (from) => Array.from({ length: 20 }, (_, i) => queue.process(bigJob(dir, from + i)))
  const first = batch(0)
  await until('jobs are out', () => queue.stats().remote >= 2)
  const restartedAt = Date.now()
  await redis.restart()
  const results = await Promise.all(first)
  // Whatever was out when Redis lost it comes back after timeoutMs and runs here; the rest
  // of the 20 big jobs run here or remotely. 20 s bounds that generously on one core.
  const waited = Date.now() - restartedAt
  assert.ok(waited < timeoutMs + 20_000, `settled ${waited} ms after the restart`)
  for (let id = 0; id < 20; id++) await assertBigOutputs(dir, id)
  assert.equal(results.length, 20)

  // The worker reconnects (its consumer group recreated) and the queue forwards again.
  await until('the worker beats again', () => redis.cli('ZSCORE', `pixelpool:${name}:workers`, 'survivor') !== '')
  const before = queue.stats().forwarded
  const again = await Promise.all(batch(20))
  assert.ok(again.some((r) => r.ranOn === 'remote'), 'forwarded after the restart')
  assert.ok(queue.stats().forwarded > before)
  for (let id = 20; id < 40; id++) await assertBigOutputs(dir, id)
  await queue.close()
  worker.child.kill('SIGTERM')
  assert.deepEqual(await worker.exited, { code: 0, signal: null }, worker.log())
})

test('fault 3: with no live worker nothing is forwarded, even with a stale heartbeat', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  const [seconds] = redis.cli('TIME').split('\n')
  redis.cli('ZADD', `pixelpool:${name}:workers`, String((Number(seconds) - 60) * 1000), 'gone')
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 0 } })
  await queue.waitUntilReady()
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => queue.process(bigJob(dir, i))))
  assert.ok(results.every((r) => r.ranOn === 'local'))
  assert.equal(queue.stats().forwarded, 0)
  assert.equal(redis.cli('XLEN', `pixelpool:${name}:jobs`), '0', 'nothing was pushed')
  assert.equal(redis.cli('--scan', '--pattern', `pixelpool:${name}:blob:*`), '', 'nothing was uploaded')
  await queue.close()
})

test('fault 5: an input above maxInputBytes runs here, smaller ones go out', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  await startWorker(t, redis, { queue: name, name: 'small-only' })
  const dir = scratch(t)
  const maxInputBytes = 1_000_000
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 0, maxInputBytes } })
  await queue.waitUntilReady()
  const small = 'kodak-kodim23.png' // 557 kB
  const jobs = []
  for (let i = 0; i < 6; i++) {
    jobs.push(queue.process(bigJob(dir, `big-${i}`)).then((r) => ['big', r]))
    jobs.push(queue.process({ input: photo(small), outputs: [{ width: 300, format: 'webp' }] }).then((r) => ['small', r]))
  }
  const results = await Promise.all(jobs)
  for (const [size, result] of results) if (size === 'big') assert.equal(result.ranOn, 'local')
  assert.ok(results.some(([size, r]) => size === 'small' && r.ranOn === 'remote'), 'small inputs were forwarded')
  for (let i = 0; i < 6; i++) await assertBigOutputs(dir, `big-${i}`)
  await queue.close()
})

test('fault 6: close() with jobs out waits for them (or their timeout) and leaves only keys with a TTL', async (t) => {
  const redis = await startRedis(t)
  const name = queueName()
  const worker = await startWorker(t, redis, { queue: name, name: 'frozen' })
  const dir = scratch(t)
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name, overflowAt: 1, timeoutMs: 2000 } })
  await queue.waitUntilReady()
  let remoteDone = 0
  const jobs = Array.from({ length: 10 }, (_, i) =>
    queue.process(bigJob(dir, i)).then((result) => {
      remoteDone += result.ranOn === 'remote' ? 1 : 0
      return result
    }),
  )
  // One reply has come (so the reply stream exists) and more jobs are out.
  await until('a remote result and jobs out', () => remoteDone >= 1 && queue.stats().remote >= 1)
  assert.equal(redis.cli('--scan', '--pattern', `pixelpool:${name}:replies:*`).split('\n').length, 1)
  // The worker stops answering: what it holds must come back by timeout.
  worker.child.kill('SIGSTOP')
  t.after(() => worker.child.kill('SIGCONT'))
  const closing = queue.close()
  await rejectsWith(queue.process(bigJob(dir, 'late')), 'CLOSED')
  await closing
  const results = await Promise.all(jobs)
  assert.equal(results.length, 10)
  for (let id = 0; id < 10; id++) await assertBigOutputs(dir, id)
  assert.equal(queue.stats().remote, 0)
  const replyStreams = redis.cli('--scan', '--pattern', `pixelpool:${name}:replies:*`)
  assert.equal(replyStreams, '', 'the reply stream is deleted')
  assert.deepEqual(keysWithoutTtl(redis), [], 'every key left behind expires')
  assert.notEqual(redis.cli('--scan', '--pattern', 'pixelpool:*'), '', 'the check saw keys')
})

test('REMOTE_UNAVAILABLE: unreachable Redis or a wrong password; the queue works locally', async (t) => {
  const redis = await startRedis(t, { password: 'right-secret' })
  const dir = scratch(t)
  const urls = {
    'wrong password': redis.url.replace('right-secret', 'wrong-secret'),
    unreachable: `redis://127.0.0.1:${redis.port + 1 === 65536 ? 1 : redis.port + 1}`,
  }
  for (const [what, url] of Object.entries(urls)) {
    const warnings = []
    const onWarning = (warning) => warnings.push(warning)
    process.on('warning', onWarning)
    const queue = createQueue({ concurrency: 1, remote: { url, name: queueName() } })
    const error = await rejectsWith(queue.waitUntilReady(), 'REMOTE_UNAVAILABLE', /remote\.url redis:\/\/.*jobs run locally/)
    assert.doesNotMatch(error.message, /wrong-secret/, `${what}: the password is not shown`)
    if (what === 'wrong password') assert.match(error.message, /\*\*\*@/)
    const result = await queue.process(bigJob(dir, what.replace(' ', '-')))
    assert.equal(result.ranOn, 'local', what)
    await queue.close()
    process.off('warning', onWarning)
    assert.equal(warnings.length, 1, `${what}: one process warning`)
    assert.equal(warnings[0].code, 'REMOTE_UNAVAILABLE')
  }
  // The right password connects.
  const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name: queueName() } })
  await queue.waitUntilReady()
  await queue.close()
})

test('pixelpool worker exits 2 with REMOTE_UNAVAILABLE when Redis cannot be reached', async () => {
  const { spawnSync } = await import('node:child_process')
  const worker = spawnSync(process.execPath, [path.join(root, 'bin', 'pixelpool.js'), 'worker', '--redis', 'redis://:pw@127.0.0.1:1'], { encoding: 'utf8' })
  assert.equal(worker.status, 2)
  assert.match(worker.stderr, /^pixelpool worker: \[REMOTE_UNAVAILABLE\] cannot connect to Redis/)
  assert.doesNotMatch(worker.stderr, /pw/)
})

test('remote options are validated like every other option', () => {
  const bad = [
    [{ url: 'http://host' }, 'remote.url'],
    [{}, 'remote.url'],
    [{ url: 'redis://h', name: 'a b' }, 'remote.name'],
    [{ url: 'redis://h', overflowAt: -1 }, 'remote.overflowAt'],
    [{ url: 'redis://h', timeoutMs: 0 }, 'remote.timeoutMs'],
    [{ url: 'redis://h', maxInputBytes: 1.5 }, 'remote.maxInputBytes'],
    [{ url: 'redis://h', retries: 3 }, 'remote.retries'],
    ['redis://h', 'remote'],
  ]
  for (const [remote, option] of bad) {
    assert.throws(() => createQueue({ remote }), (error) => error.code === 'INVALID_OPTION' && error.option === option, option)
  }
})

test('pixelpool run --remote sends the overflow to a worker and says so', async (t) => {
  const redis = await startRedis(t)
  await startWorker(t, redis, { queue: 'default', name: 'cli-helper' })
  const out = scratch(t)
  const inputs = [
    'budgie-the-spices-of-life.jpg', 'budgie-midsummer-sunrise.jpg', 'budgie-sunset-beach.jpg', 'budgie-tea-gardens.jpg',
    'budgie-apollo-11-earth.jpg', 'budgie-tunnel-zion-park.jpg', 'budgie-colorful-wall.jpg', 'budgie-perched-osprey.jpg',
  ].map(photo)
  const args = [path.join(root, 'bin', 'pixelpool.js'), 'run', ...inputs, '--out', out, '--width', '200,400', '--concurrency', '1', '--remote', redis.url]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  const code = await new Promise((resolve) => child.once('exit', resolve))
  assert.equal(code, 0, stderr)
  const summary = stdout.trim().split('\n').at(-1)
  const remote = Number(summary.match(/(\d+) ran remotely/)?.[1])
  assert.ok(remote > 0, summary)
  await assertImage(path.join(out, 'budgie-sunset-beach-400.webp'), { format: 'webp', width: 400 })
})
