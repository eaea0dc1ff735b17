// npm run bench:remote-memory: how much Redis memory remote overflow's in-flight window
// needs. One producer forwards every corpus photo, largest first (distinct inputs, so no
// blob is shared), to eight workers of one thread (a window of 16 jobs by count), once per
// `maxInFlightBytes`; each run gets a fresh redis-server, whose own `used_memory_peak` is
// the figure. Writes bench/results/remote-memory.md.
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createQueue } from '../index.js'
import { startRedisServer, startWorker } from './redis-server.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const corpus = path.join(root, '..', 'shared', 'corpus', 'photos')
const WORKERS = 8
const MiB = 2 ** 20
const windows = [256 * MiB, 32 * MiB, 8 * MiB]

const photos = readdirSync(corpus)
  .map((f) => ({ file: path.join(corpus, f), bytes: statSync(path.join(corpus, f)).size }))
  .sort((a, b) => b.bytes - a.bytes)

const usedMemory = (redis, field) => Number(new RegExp(`(?:^|\\n)${field}:(\\d+)`).exec(redis.cli('INFO', 'memory'))?.[1] ?? NaN)

async function run(maxInFlightBytes) {
  const children = []
  try {
    const redis = await startRedisServer(children)
    await Promise.all(Array.from({ length: WORKERS }, (_, i) => startWorker(children, redis, { queue: 'mem', name: `w${i}` })))
    const baseline = usedMemory(redis, 'used_memory')
    const queue = createQueue({ concurrency: 1, remote: { url: redis.url, name: 'mem', overflowAt: 1, maxInFlightBytes } })
    await queue.waitUntilReady()
    const started = performance.now()
    const results = await Promise.all(
      photos.map(({ file }) => queue.process({ input: file, outputs: [{ width: 800, format: 'webp' }, { width: 400, format: 'jpeg' }] })),
    )
    const seconds = (performance.now() - started) / 1000
    await queue.close()
    const blobsLeft = redis.cli('--scan', '--pattern', 'pixelpool:mem:blob:*').split('\n').filter(Boolean).length
    return {
      maxInFlightBytes,
      remote: results.filter((r) => r.ranOn === 'remote').length,
      seconds,
      peak: usedMemory(redis, 'used_memory_peak') - baseline,
      blobsLeft,
    }
  } finally {
    for (const child of children) child.kill('SIGKILL')
  }
}

const mib = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`
const rows = []
for (const window of windows) rows.push(await run(window))
const window16 = photos.slice(0, 2 * WORKERS).reduce((sum, p) => sum + p.bytes, 0)
const lines = [
  `# Redis memory of the in-flight window, ${new Date().toISOString().slice(0, 10)} · ${os.availableParallelism()} cores`,
  '',
  `\`npm run bench:remote-memory\`: the ${photos.length} corpus photos, largest first (${mib(photos[0].bytes)} down to ${mib(photos.at(-1).bytes)}), each to 800 px WebP and 400 px JPEG; one producer (concurrency 1, overflowAt 1) and ${WORKERS} workers of one thread, so the window by count is ${2 * WORKERS} jobs (the ${2 * WORKERS} largest inputs add up to ${mib(window16)}). Peak is redis-server's \`used_memory_peak\` above its idle \`used_memory\`.`,
  '',
  '| maxInFlightBytes | jobs run remotely | seconds | Redis peak above idle | blobs left after the batch |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${mib(r.maxInFlightBytes)} | ${r.remote} of ${photos.length} | ${r.seconds.toFixed(1)} | ${mib(r.peak)} | ${r.blobsLeft} |`),
  '',
]
console.log(lines.join('\n'))
writeFileSync(path.join(root, 'bench', 'results', 'remote-memory.md'), lines.join('\n'))
