// test:cross for the standalone worker binaries: a Linux one must be a static executable and
// serve a real job from a real redis-server here (the arm64 one under qemu); the others are
// checked for their format only.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startRedis } from '../../__test__/redis.mjs'
import { root, workerPath, workers } from './recipes.mjs'

const { createQueue } = createRequire(import.meta.url)('../../index.js')
const photo = path.join(root, '..', 'shared', 'corpus', 'photos', 'budgie-the-spices-of-life.jpg')
const FORMAT = { 'linux-x64': /ELF 64-bit.*x86-64.*statically linked/, 'linux-arm64': /ELF 64-bit.*ARM aarch64.*statically linked/, 'win32-x64': /PE32\+ executable.*x86-64/, 'darwin-arm64': /Mach-O 64-bit.*arm64/, 'darwin-x64': /Mach-O 64-bit.*x86_64/ }

/** Starts the worker binary; resolves once its heartbeat is in Redis. */
async function startWorker(command, args, redis, queue, name, cleanups) {
  const child = spawn(command, [...args, 'worker', '--redis', redis.url, '--queue', queue, '--name', name, '--concurrency', '1'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr.on('data', (chunk) => (log += chunk))
  cleanups.push(() => child.kill('SIGKILL'))
  for (let i = 0; i < 1500; i++) {
    if (redis.cli('ZSCORE', `pixelpool:${queue}:workers`, name) !== '') return
    if (child.exitCode !== null) break
    await sleep(20)
  }
  throw new Error(`worker ${name} sent no heartbeat; its log:\n${log}`)
}

/** Runs jobs from this process until one is served by the worker; returns what it served. */
async function serveOne(command, args, name) {
  const cleanups = []
  try {
    const redis = await startRedis({ after: (fn) => cleanups.push(fn) })
    const queue = `cross-${process.pid}-${name}`
    await startWorker(command, args, redis, queue, name, cleanups)
    const local = createQueue({ concurrency: 1, remote: { url: redis.url, name: queue, overflowAt: 0 } })
    await local.waitUntilReady()
    const jobs = Array.from({ length: 4 }, () => local.process({ input: photo, outputs: [{ width: 320, format: 'webp' }, { width: 160, format: 'jpeg' }] }))
    const results = await Promise.all(jobs)
    await local.close()
    const served = results.filter((r) => r.ranOn === 'remote' && r.worker === name)
    if (served.length === 0) return { problems: [`no job ran on worker ${name}`] }
    const sizes = served[0].outputs.map((o) => `${o.format} ${o.width}x${o.height}`)
    const problems = sizes.join(', ') === 'webp 320x213, jpeg 160x107' ? [] : [`worker ${name} returned ${sizes.join(', ')}`]
    return { problems, summary: `served ${served.length}/4 jobs (${sizes.join(', ')})` }
  } finally {
    for (const fn of cleanups.reverse()) await fn()
  }
}

/** Checks every built worker binary; returns [{ name, how, problems }]. */
export async function testWorkers() {
  const rows = []
  for (const worker of workers.filter((w) => existsSync(workerPath(w.name)))) {
    const binary = workerPath(worker.name)
    const described = execFileSync('file', ['-b', binary], { encoding: 'utf8' }).trim()
    const problems = FORMAT[worker.name].test(described) ? [] : [`file says: ${described}`]
    let how = described.split(',')[0]
    if (worker.name === 'linux-x64' || worker.name === 'linux-arm64') {
      const [command, args] = worker.name === 'linux-x64' ? [binary, []] : ['qemu-aarch64-static', [binary]]
      const served = await serveOne(command, args, `cross-${worker.name}`)
      problems.push(...served.problems)
      how += `; ${served.summary ?? 'served nothing'}${worker.name === 'linux-arm64' ? ' under qemu-aarch64' : ''}`
    }
    rows.push({ name: `worker ${worker.name}`, how, problems })
  }
  return rows
}
