// A real redis-server for the tests, on a free loopback port, and real `pixelpool worker`
// processes. A missing redis-server fails the test: it never skips.
import { spawn, execFileSync } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { root } from './helpers.mjs'

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** A real PONG, not just an open socket (a connect loop can self-connect). */
function answersPing(port, password) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let reply = ''
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.on('data', (chunk) => {
      reply += chunk
      if (reply.includes('+PONG')) done(true)
      else if (reply.includes('-')) done(false)
    })
    socket.once('connect', () => socket.write(password ? `AUTH ${password}\r\nPING\r\n` : 'PING\r\n'))
  })
}

async function launch(port, password, settings) {
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', ...settings]
  if (password) args.push('--requirepass', password)
  const child = spawn('redis-server', args, { stdio: 'ignore' })
  const exited = new Promise((resolve) => {
    child.once('exit', resolve)
    child.once('error', (error) => resolve(error))
  })
  let gone = false
  exited.then(() => (gone = true))
  for (let i = 0; i < 500 && !gone; i++) {
    if (await answersPing(port, password)) return { child, exited }
    await sleep(20)
  }
  child.kill('SIGKILL')
  const why = await exited
  if (why instanceof Error) throw new Error(`redis-server is needed for these tests (apt-get install redis-server): ${why.message}`)
  return null
}

/** Starts redis-server (`settings`: more of its flags); stopped when the test ends. */
export async function startRedis(t, { password, settings = [] } = {}) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    let server = await launch(port, password, settings)
    if (!server) continue
    const redis = {
      port,
      url: `redis://${password ? `:${password}@` : ''}127.0.0.1:${port}`,
      /** Runs one command with redis-cli and returns its raw output, trimmed. */
      cli: (...args) =>
        execFileSync('redis-cli', ['-p', String(port), ...(password ? ['-a', password, '--no-auth-warning'] : []), ...args], { encoding: 'utf8' }).trim(),
      async stop() {
        server.child.kill('SIGKILL')
        await server.exited
      },
      /**
       * Kills the server (losing everything: no persistence) and starts it again on the
       * same port, `downMs` later.
       */
      async restart({ downMs = 0 } = {}) {
        await redis.stop()
        await sleep(downMs)
        for (let i = 0; i < 50; i++) {
          server = await launch(port, password, settings)
          if (server) return
          await sleep(100)
        }
        throw new Error(`redis-server did not come back on port ${port}`)
      },
    }
    t.after(() => redis.stop())
    return redis
  }
  throw new Error('redis-server did not start on any of 5 ports')
}

/** Starts `pixelpool worker` (the npm bin) as a child process; killed when the test ends. */
export async function startWorker(t, redis, { queue, name, concurrency = 1 }) {
  const bin = path.join(root, 'bin', 'pixelpool.js')
  const args = [bin, 'worker', '--redis', redis.url, '--queue', queue, '--name', name, '--concurrency', String(concurrency)]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr.on('data', (chunk) => (log += chunk))
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  t.after(() => child.kill('SIGKILL'))
  // Serving once its heartbeat is in Redis.
  for (let i = 0; i < 250; i++) {
    if (redis.cli('ZSCORE', `pixelpool:${queue}:workers`, name) !== '') {
      return { child, exited, log: () => log }
    }
    await sleep(20)
  }
  child.kill('SIGKILL')
  throw new Error(`worker ${name} sent no heartbeat; its log:\n${log}`)
}
