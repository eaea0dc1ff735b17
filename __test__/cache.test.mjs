import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import path from 'node:path'
import { createQueue } from '../index.mjs'
import { root, photo, scratch, assertImage } from './helpers.mjs'

const job = (input, out, quality = 80) => ({ input, outputs: [{ path: out, width: 120, format: 'webp', quality }] })

/** Every stored output file of the cache (entries are <shard>/<key>/<index>). */
function storedFiles(cacheDir) {
  return readdirSync(cacheDir, { recursive: true })
    .map((f) => path.join(cacheDir, f))
    .filter((f) => /\/\d+$/.test(f) && statSync(f).isFile())
}

function cacheBytes(cacheDir) {
  return readdirSync(cacheDir, { recursive: true })
    .map((f) => path.join(cacheDir, f))
    .filter((f) => statSync(f).isFile())
    .reduce((sum, f) => sum + statSync(f).size, 0)
}

test('a repeated job is served from the cache, byte for byte', async (t) => {
  const dir = scratch(t)
  const cacheDir = path.join(dir, 'cache')
  const queue = createQueue({ cacheDir })
  const first = await queue.process(job(photo('kodak-kodim01.png'), path.join(dir, 'a.webp')))
  const second = await queue.process(job(photo('kodak-kodim01.png'), path.join(dir, 'b.webp')))
  assert.equal(first.cached, false)
  assert.equal(second.cached, true)
  assert.deepEqual(readFileSync(path.join(dir, 'b.webp')), readFileSync(path.join(dir, 'a.webp')))
  assert.deepEqual(second.input, first.input)
  assert.deepEqual({ ...second.outputs[0], path: 0 }, { ...first.outputs[0], path: 0 })
  await assertImage(path.join(dir, 'b.webp'), { format: 'webp', width: 120 })
  const buffered = await queue.process({ input: photo('kodak-kodim01.png'), outputs: [{ width: 120, format: 'webp', quality: 80 }] })
  assert.equal(buffered.cached, true, 'the output path is not part of the key')
  assert.deepEqual(buffered.outputs[0].data, readFileSync(path.join(dir, 'a.webp')))
  assert.equal(queue.stats().cacheHits, 2)
  await queue.close()
})

test('a changed input or output spec misses', async (t) => {
  const dir = scratch(t)
  const queue = createQueue({ cacheDir: path.join(dir, 'cache') })
  await queue.process(job(photo('kodak-kodim03.png'), path.join(dir, 'a.webp')))
  const otherInput = await queue.process(job(photo('kodak-kodim05.png'), path.join(dir, 'b.webp')))
  const otherSpec = await queue.process(job(photo('kodak-kodim03.png'), path.join(dir, 'c.webp'), 60))
  const bytes = Buffer.from(readFileSync(photo('kodak-kodim03.png')))
  const sameBytes = await queue.process(job(bytes, path.join(dir, 'd.webp')))
  assert.deepEqual([otherInput.cached, otherSpec.cached, sameBytes.cached], [false, false, true])
  await queue.close()
})

test('a damaged entry is detected by its hash and recomputed', async (t) => {
  const dir = scratch(t)
  const cacheDir = path.join(dir, 'cache')
  const queue = createQueue({ cacheDir })
  const original = await queue.process(job(photo('kodak-kodim08.png'), path.join(dir, 'a.webp')))
  const [stored] = storedFiles(cacheDir)
  const damaged = readFileSync(stored)
  damaged[damaged.length >> 1] ^= 0xff
  writeFileSync(stored, damaged)
  const recomputed = await queue.process(job(photo('kodak-kodim08.png'), path.join(dir, 'b.webp')))
  assert.equal(recomputed.cached, false)
  assert.deepEqual(readFileSync(path.join(dir, 'b.webp')), readFileSync(path.join(dir, 'a.webp')))
  const again = await queue.process(job(photo('kodak-kodim08.png'), path.join(dir, 'c.webp')))
  assert.equal(again.cached, true, 'the recomputed result was stored again')
  assert.equal(original.outputs[0].size, again.outputs[0].size)
  await queue.close()
})

test('least recently used entries are evicted past the size cap', async (t) => {
  const dir = scratch(t)
  const cacheDir = path.join(dir, 'cache')
  // Entries of about the same size: one photo at six qualities. The cap holds three.
  const run = (queue, quality) => queue.process(job(photo('kodak-kodim23.png'), path.join(dir, `${quality}.webp`), quality))
  const probe = createQueue({ cacheDir: path.join(dir, 'probe') })
  await run(probe, 60)
  const cacheMaxBytes = Math.round(cacheBytes(path.join(dir, 'probe')) * 3.5)
  const queue = createQueue({ cacheDir, cacheMaxBytes, concurrency: 1 })
  const qualities = [60, 61, 62, 63, 64, 65]
  for (const quality of qualities) {
    await run(queue, quality)
    await run(queue, qualities[0]) // keep the first one recently used
  }
  assert.ok(cacheBytes(cacheDir) <= cacheMaxBytes * 1.1, `cache holds ${cacheBytes(cacheDir)} of ${cacheMaxBytes} bytes`)
  assert.equal((await run(queue, qualities[0])).cached, true, 'the recently used entry survives')
  assert.equal((await run(queue, qualities[1])).cached, false, 'an old entry was evicted')
  assert.equal((await run(queue, qualities[5])).cached, true, 'the newest entry survives')
  await Promise.all([queue.close(), probe.close()])
})

test('two processes can share one cache folder', async (t) => {
  const dir = scratch(t)
  const cacheDir = path.join(dir, 'cache')
  const entry = pathToFileURL(path.join(root, 'index.mjs')).href
  const inputs = ['kodak-kodim13.png', 'kodak-kodim20.png', 'kodak-kodim22.png', 'kodak-kodim23.png'].map(photo)
  const script = (name) => `
    import { createQueue } from '${entry}'
    const queue = createQueue({ cacheDir: ${JSON.stringify(cacheDir)} })
    const inputs = ${JSON.stringify(inputs)}
    const results = await Promise.all(inputs.map((input, i) => queue.process({ input, outputs: [{ path: ${JSON.stringify(dir)} + '/${name}-' + i + '.webp', width: 200 }] })))
    console.log(results.map((r) => r.outputs[0].size).join(','))
  `
  const run = (name) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script(name)], { stdio: ['ignore', 'pipe', 'inherit'] })
      let out = ''
      child.stdout.on('data', (chunk) => (out += chunk))
      child.on('close', (code) => resolve({ code, out: out.trim() }))
    })
  const [a, b] = await Promise.all([run('a'), run('b')])
  assert.equal(a.code, 0)
  assert.equal(b.code, 0)
  assert.equal(a.out, b.out, 'both processes got the same outputs')
  assert.deepEqual(readdirSync(path.join(cacheDir, 'tmp')), [], 'no staging folders left')
  const queue = createQueue({ cacheDir })
  const hits = await Promise.all(inputs.map((input) => queue.process({ input, outputs: [{ width: 200, format: 'webp' }] })))
  assert.ok(hits.every((r) => r.cached))
  await queue.close()
})
