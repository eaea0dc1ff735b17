import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { root, photo, scratch, assertImage, filesIn } from './helpers.mjs'

const cli = path.join(root, 'bin', 'pixelpool.js')
const pixelpool = (args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 })

test('run writes one output per width and format, prints a line each and a summary', async (t) => {
  const dir = scratch(t)
  const child = pixelpool(['run', photo('kodak-kodim20.png'), photo('exiforient-portrait-8.jpg'), '--out', dir, '--width', '100,300', '--format', 'webp,jpeg'])
  assert.equal(child.status, 0, child.stderr)
  const lines = child.stdout.trim().split('\n')
  assert.equal(lines.length, 9)
  assert.match(lines.at(-1), /^2 inputs, 8 outputs, .* kB in, .* kB out, .* s, 0 failed$/)
  assert.deepEqual(filesIn(dir).sort(), [
    'exiforient-portrait-8-100.jpg', 'exiforient-portrait-8-100.webp', 'exiforient-portrait-8-300.jpg', 'exiforient-portrait-8-300.webp',
    'kodak-kodim20-100.jpg', 'kodak-kodim20-100.webp', 'kodak-kodim20-300.jpg', 'kodak-kodim20-300.webp',
  ])
  await assertImage(path.join(dir, 'exiforient-portrait-8-300.webp'), { format: 'webp', width: 300, height: 450 })
})

test('folders are searched for images; a failure gives exit code 1 and is listed', (t) => {
  const dir = scratch(t)
  const inputs = path.join(dir, 'in')
  const out = path.join(dir, 'out')
  pixelpool(['run', photo('kodak-kodim23.png'), '--out', inputs, '--format', 'png'])
  writeFileSync(path.join(inputs, 'broken.jpg'), 'not a jpeg')
  const child = pixelpool(['run', inputs, '--out', out, '--width', '50'])
  assert.equal(child.status, 1)
  assert.match(child.stdout, /2 inputs, 1 outputs, .* 1 failed/)
  assert.match(child.stderr, /broken\.jpg: failed \[UNSUPPORTED_FORMAT\]/)
  assert.match(child.stderr, /Failed:\n {2}.*broken\.jpg \[UNSUPPORTED_FORMAT\]/)
})

test('usage errors exit 2; --help and --version exit 0', () => {
  assert.equal(pixelpool(['run', photo('kodak-kodim23.png')]).status, 2)
  assert.match(pixelpool(['run', photo('kodak-kodim23.png')]).stderr, /--out DIR is required/)
  assert.equal(pixelpool(['run', 'x.png', '--out', 'o', '--width', 'wide']).status, 2)
  assert.equal(pixelpool(['frobnicate']).status, 2)
  const help = pixelpool(['--help'])
  assert.equal(help.status, 0)
  assert.match(help.stdout, /pixelpool run <files or folders/)
  assert.match(pixelpool(['--version']).stdout, /^\d+\.\d+\.\d+\n$/)
})

test('globs, a config file and --cache: the second run comes from the cache', (t) => {
  const dir = scratch(t)
  const config = path.join(dir, 'pixelpool.json')
  writeFileSync(config, JSON.stringify({ width: [64, 128], format: 'png', cache: path.join(dir, 'cache') }))
  const args = ['run', path.join(path.dirname(photo('x')), 'kodak-kodim0*.png'), '--out', path.join(dir, 'out'), '--config', config]
  const cold = pixelpool(args)
  assert.equal(cold.status, 0, cold.stderr)
  assert.match(cold.stdout, /4 inputs, 8 outputs, .* 0 failed, 0 from cache\n$/)
  assert.equal(filesIn(path.join(dir, 'out')).length, 8)
  const warm = pixelpool(args)
  assert.match(warm.stdout, /4 inputs, 8 outputs, .* 0 failed, 4 from cache\n$/)
  assert.match(warm.stdout, /kodak-kodim01-64\.png 64x43 .* \(cached\)/)
  const overridden = pixelpool([...args, '--width', '32'])
  assert.match(overridden.stdout, /4 inputs, 4 outputs/)
})

test('a bad config file, or a --remote that is not a Redis URL, is a usage error', (t) => {
  const dir = scratch(t)
  const config = path.join(dir, 'bad.json')
  writeFileSync(config, JSON.stringify({ widht: 5 }))
  const bad = pixelpool(['run', photo('kodak-kodim23.png'), '--out', dir, '--config', config])
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /unknown key 'widht'/)
  const remote = pixelpool(['run', photo('kodak-kodim23.png'), '--out', dir, '--remote', '127.0.0.1:6379'])
  assert.equal(remote.status, 2)
  assert.match(remote.stderr, /Expected Redis URL .* for remote\.url/)
})

test('on a terminal a progress line counts inputs; elsewhere there is none', async (t) => {
  const { createRequire } = await import('node:module')
  const { run } = createRequire(import.meta.url)('../lib/cli/run.js')
  const dir = scratch(t)
  const capture = (isTTY) => ({ isTTY, text: '', write(chunk) { this.text += chunk } })
  const args = [photo('kodak-kodim01.png'), photo('kodak-kodim03.png'), '--out', dir, '--width', '50']
  const [stdout, terminal] = [capture(false), capture(true)]
  assert.equal(await run(args, { stdout, stderr: terminal }), 0)
  assert.match(terminal.text, /\r\[#{24}\] 2\/2 · 0 failed · [\d.]+ inputs\/s · ETA 0 s \n$/)
  const pipe = capture(false)
  assert.equal(await run(args, { stdout: capture(false), stderr: pipe }), 0)
  assert.equal(pipe.text, '')
})
