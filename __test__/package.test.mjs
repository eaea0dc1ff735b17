import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { root, photo, scratch } from './helpers.mjs'

/** PATH without any folder that holds cargo or rustc: the installed package must not need them. */
function pathWithoutRust() {
  return process.env.PATH.split(path.delimiter)
    .filter((dir) => !existsSync(path.join(dir, 'cargo')) && !existsSync(path.join(dir, 'rustc')))
    .join(path.delimiter)
}

test('the packed main and platform packages install into a fresh project and run a job', (t) => {
  const dir = scratch(t)
  const tarballs = execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.mjs'), dir], { encoding: 'utf8' }).trim().split('\n')
  assert.equal(tarballs.length, 2)
  assert.match(path.basename(tarballs[0]), /^pixelpool-\d+\.\d+\.\d+\.tgz$/)
  assert.match(path.basename(tarballs[1]), /^pixelpool-linux-x64-gnu-\d+\.\d+\.\d+\.tgz$/)

  const project = path.join(dir, 'project')
  execFileSync('mkdir', ['-p', project])
  writeFileSync(path.join(project, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n')
  const env = { ...process.env, PATH: pathWithoutRust() }
  assert.equal(spawnSync('cargo', ['--version'], { env }).error?.code, 'ENOENT', 'cargo is hidden')
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', ...tarballs], { cwd: project, env, encoding: 'utf8' })
  assert.equal(install.status, 0, install.stderr)

  const job = `{ input: ${JSON.stringify(photo('kodak-kodim08.png'))}, outputs: [{ width: 40, format: 'webp' }] }`
  const commonjs = spawnSync(process.execPath, ['-e', `require('pixelpool').createQueue().process(${job}).then((r) => console.log(r.outputs[0].width))`], { cwd: project, env, encoding: 'utf8' })
  assert.equal(commonjs.stdout.trim(), '40', commonjs.stderr)
  const esm = spawnSync(process.execPath, ['--input-type=module', '-e', `import { createQueue } from 'pixelpool'; console.log((await createQueue().process(${job})).outputs[0].height)`], { cwd: project, env, encoding: 'utf8' })
  assert.equal(esm.stdout.trim(), '27', esm.stderr)
  const bin = spawnSync(path.join(project, 'node_modules', '.bin', 'pixelpool'), ['--version'], { cwd: project, env, encoding: 'utf8' })
  assert.match(bin.stdout, /^\d+\.\d+\.\d+\n$/)
})

test('without a binary for the platform the loader names the platform and the fix', (t) => {
  const dir = scratch(t)
  execFileSync('cp', ['-r', path.join(root, 'lib'), path.join(root, 'index.js'), path.join(root, 'package.json'), dir])
  const child = spawnSync(process.execPath, ['-e', "require('./index.js')"], { cwd: dir, encoding: 'utf8' })
  assert.notEqual(child.status, 0)
  assert.match(child.stderr, /pixelpool has no native binary for linux-x64-gnu: install the package pixelpool-linux-x64-gnu/)
})
