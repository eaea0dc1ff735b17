// npm run bench:remote [-- --quick]: W2 with the local pool pinned to one core, alone and
// then with one `pixelpool worker` pinned to the other core; the throughput ratio and the
// fraction of jobs that ran remotely. redis-server runs on the worker's core: it stands in
// for the network between machines, and its work should not count for the local side.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { w2Plan } from './plan.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const corpus = path.join(root, '..', 'shared', 'corpus', 'photos')
const quick = process.argv.includes('--quick')
const work = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-remote-bench-'))
const [LOCAL_CORE, WORKER_CORE] = ['0', '1']

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function until(what, condition) {
  for (let i = 0; i < 500; i++) {
    if (condition()) return
    await sleep(20)
  }
  throw new Error(`timed out waiting for ${what}`)
}

const redisCli = (port, ...args) => {
  try {
    return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim()
  } catch {
    return ''
  }
}

/** The pixelpool side of W2 in its own process, pinned to the local core. */
function localRun(plan, name, remote) {
  const out = path.join(work, name)
  const options = JSON.stringify({ plan, concurrency: 1, out, remote })
  const stdout = execFileSync('taskset', ['-c', LOCAL_CORE, process.execPath, path.join(root, 'bench', 'child.mjs'), 'pixelpool', 'w2', options], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1))
}

const children = []
try {
  if (os.availableParallelism() < 2) throw new Error('bench:remote needs two cores')
  const plan = await w2Plan(corpus, quick)
  const port = await freePort()
  const redis = spawn('taskset', ['-c', WORKER_CORE, 'redis-server', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  children.push(redis)
  await until('redis-server', () => redisCli(port, 'PING') === 'PONG')
  const url = `redis://127.0.0.1:${port}`
  const worker = spawn('taskset', ['-c', WORKER_CORE, process.execPath, path.join(root, 'bin', 'pixelpool.js'), 'worker', '--redis', url, '--queue', 'bench', '--name', 'bench-worker', '--concurrency', '1'], {
    stdio: 'ignore',
  })
  children.push(worker)
  await until('the worker', () => redisCli(port, 'ZSCORE', 'pixelpool:bench:workers', 'bench-worker') !== '')

  const alone = localRun(plan, 'alone')
  const helped = localRun(plan, 'helped', { url, name: 'bench' })
  const rate = (run) => run.outputs / run.seconds
  console.log(`\npixelpool bench:remote ${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0].model} · W2: ${plan.length} photos, ${alone.outputs} outputs${quick ? ' · --quick' : ''}\n`)
  console.log('| setup | seconds | outputs/s | jobs run remotely |')
  console.log('| --- | --- | --- | --- |')
  console.log(`| local pool, 1 thread on core ${LOCAL_CORE} | ${alone.seconds.toFixed(2)} | ${rate(alone).toFixed(1)} | - |`)
  console.log(`| same + 1 worker (1 thread) on core ${WORKER_CORE} | ${helped.seconds.toFixed(2)} | ${rate(helped).toFixed(1)} | ${helped.ranRemotely} of ${helped.jobs} (${((100 * helped.ranRemotely) / helped.jobs).toFixed(0)}%) |`)
  console.log(`| **ratio** | | **${(rate(helped) / rate(alone)).toFixed(2)}x** | |`)
} finally {
  for (const child of children) child.kill('SIGKILL')
  rmSync(work, { recursive: true, force: true })
}
