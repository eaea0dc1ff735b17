// A throwaway redis-server and `pixelpool worker` processes for the remote benchmarks.
import { execFileSync, spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

export async function until(what, condition) {
  for (let i = 0; i < 500; i++) {
    if (condition()) return
    await sleep(20)
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** `taskset -c core` in front of a command when a core is given. */
const pinned = (core, command, args) => (core === undefined ? [command, args] : ['taskset', ['-c', core, command, ...args]])

/**
 * Starts redis-server (optionally pinned to `core`); `children` collects every process
 * started, for the caller to kill.
 */
export async function startRedisServer(children, { core, settings = [] } = {}) {
  const port = await freePort()
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', ...settings]
  const redis = spawn(...pinned(core, 'redis-server', args), { stdio: 'ignore' })
  children.push(redis)
  const cli = (...command) => {
    try {
      return execFileSync('redis-cli', ['-p', String(port), ...command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return ''
    }
  }
  await until('redis-server', () => cli('PING') === 'PONG')
  return { url: `redis://127.0.0.1:${port}`, cli }
}

/** Starts a `pixelpool worker` serving `queue` and waits for its first heartbeat. */
export async function startWorker(children, redis, { queue, name, concurrency = 1, core }) {
  const args = [path.join(root, 'bin', 'pixelpool.js'), 'worker', '--redis', redis.url, '--queue', queue, '--name', name, '--concurrency', String(concurrency)]
  children.push(spawn(...pinned(core, process.execPath, args), { stdio: 'ignore' }))
  await until(`worker ${name}`, () => redis.cli('ZSCORE', `pixelpool:${queue}:workers`, name) !== '')
}
