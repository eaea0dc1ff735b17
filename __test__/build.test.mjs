// The build on a machine without nasm and cmake: where it cannot install them (here: no
// apt-get on PATH) it stops at once, naming the packages for apt, Homebrew and winget.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { root, scratch } from './helpers.mjs'

/** A PATH of one folder linking every command on PATH except `hidden`. */
function pathHiding(dir, hidden) {
  mkdirSync(dir)
  const linked = new Set(hidden)
  for (const folder of process.env.PATH.split(path.delimiter).filter((d) => d && existsSync(d))) {
    for (const name of readdirSync(folder)) {
      if (linked.has(name)) continue
      linked.add(name)
      symlinkSync(path.join(folder, name), path.join(dir, name))
    }
  }
  return dir
}

test('without nasm and cmake, and no apt-get to install them, the build stops with one line naming them', (t) => {
  const bin = pathHiding(path.join(scratch(t), 'bin'), ['nasm', 'cmake', 'apt-get'])
  const started = Date.now()
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { env: { ...process.env, PATH: bin }, encoding: 'utf8' })
  assert.equal(build.status, 1, build.stderr)
  assert.equal(build.stderr, "pixelpool's build needs nasm and cmake: install with apt-get install nasm cmake, brew install nasm cmake, winget install NASM.NASM Kitware.CMake\n")
  assert.ok(Date.now() - started < 10_000, 'it stops before cargo runs')
})
