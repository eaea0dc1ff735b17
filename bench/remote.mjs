// npm run bench:remote [-- --quick]: W2 with the local pool pinned to one core, alone and
// then with one `pixelpool worker` pinned to the other core; the throughput ratio and the
// fraction of jobs that ran remotely. redis-server runs on the worker's core: it stands in
// for the network between machines, and its work should not count for the local side.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { w2Plan } from './plan.mjs'
import { startRedisServer, startWorker } from './redis-server.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const corpus = path.join(root, '..', 'shared', 'corpus', 'photos')
const quick = process.argv.includes('--quick')
const work = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-remote-bench-'))
const [LOCAL_CORE, WORKER_CORE] = ['0', '1']

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
  const redis = await startRedisServer(children, { core: WORKER_CORE })
  const { url } = redis
  await startWorker(children, redis, { queue: 'bench', name: 'bench-worker', core: WORKER_CORE })

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
