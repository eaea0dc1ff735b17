import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import path from 'node:path'
import { root, photo } from './helpers.mjs'

const entry = pathToFileURL(path.join(root, 'index.mjs')).href

/** Runs a module in a child Node with a hard timeout; a process that never exits fails. */
function runScript(source) {
  const started = performance.now()
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8', timeout: 20_000 })
  return { ...child, ms: performance.now() - started }
}

test('a queue that is never used does not keep the process alive', () => {
  const child = runScript(`import { createQueue } from '${entry}'; createQueue({ concurrency: 2 }); console.log('created')`)
  assert.equal(child.signal, null, 'exited by itself, not killed by the timeout')
  assert.equal(child.status, 0, child.stderr)
  assert.equal(child.stdout.trim(), 'created')
})

test('a script that awaits one job exits right after it settles', () => {
  const child = runScript(`
    import { createQueue } from '${entry}'
    const queue = createQueue()
    const result = await queue.process({ input: ${JSON.stringify(photo('kodak-kodim01.png'))}, outputs: [{ width: 50, format: 'png' }] })
    console.log('done', result.outputs[0].width)
  `)
  assert.equal(child.signal, null)
  assert.equal(child.status, 0, child.stderr)
  assert.equal(child.stdout.trim(), 'done 50')
})

test('a pending job keeps the process alive until it settles, even unawaited', () => {
  const child = runScript(`
    import { createQueue } from '${entry}'
    createQueue({ concurrency: 1 })
      .process({ input: ${JSON.stringify(photo('budgie-sunset-beach.jpg'))}, outputs: [{ width: 64, format: 'jpeg' }] })
      .then((r) => console.log('settled', r.outputs[0].width))
    console.log('submitted')
  `)
  assert.equal(child.signal, null)
  assert.equal(child.status, 0, child.stderr)
  assert.deepEqual(child.stdout.trim().split('\n'), ['submitted', 'settled 64'])
})

test('a failing job also settles and lets the process exit', () => {
  const child = runScript(`
    import { createQueue } from '${entry}'
    createQueue().process({ input: 'missing.png', outputs: [{ format: 'png' }] }).catch((e) => console.log(e.code))
  `)
  assert.equal(child.signal, null)
  assert.equal(child.stdout.trim(), 'IO_ERROR')
})
