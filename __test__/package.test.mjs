import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { root, photo, scratch } from './helpers.mjs'
import { pathWithoutRust } from '../scripts/system-tools.mjs'

const { platforms } = createRequire(import.meta.url)('../lib/platforms.js')


test('the packed main, pixelpool-sharp and platform packages install into a fresh project and run', (t) => {
  const dir = scratch(t)
  const tarballs = execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.mjs'), dir, '--only', 'linux-x64-gnu'], { encoding: 'utf8' }).trim().split('\n')
  assert.equal(tarballs.length, 3)
  assert.match(path.basename(tarballs[0]), /^pixelpool-\d+\.\d+\.\d+\.tgz$/)
  assert.match(path.basename(tarballs[1]), /^pixelpool-sharp-\d+\.\d+\.\d+\.tgz$/)
  assert.match(path.basename(tarballs[2]), /^pixelpool-linux-x64-gnu-\d+\.\d+\.\d+\.tgz$/)

  const project = path.join(dir, 'project')
  execFileSync('mkdir', ['-p', project])
  writeFileSync(path.join(project, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n')
  const env = { ...process.env, PATH: pathWithoutRust(path.join(dir, 'bin')) }
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

  const input = JSON.stringify(photo('kodak-kodim08.png'))
  const viaRequire = spawnSync(process.execPath, ['-e', `require('pixelpool-sharp')(${input}).resize(40).webp().toBuffer({ resolveWithObject: true }).then(({ info }) => console.log(info.format, info.width))`], { cwd: project, env, encoding: 'utf8' })
  assert.equal(viaRequire.stdout.trim(), 'webp 40', viaRequire.stderr)
  const viaImport = spawnSync(process.execPath, ['--input-type=module', '-e', `import sharp from 'pixelpool-sharp'; console.log((await sharp(${input}).metadata()).width)`], { cwd: project, env, encoding: 'utf8' })
  assert.equal(viaImport.stdout.trim(), '768', viaImport.stderr)
})

test('without a binary for the platform the loader names the platform and the fix', (t) => {
  const dir = scratch(t)
  execFileSync('cp', ['-r', path.join(root, 'lib'), path.join(root, 'index.js'), path.join(root, 'package.json'), dir])
  const child = spawnSync(process.execPath, ['-e', "require('./index.js')"], { cwd: dir, encoding: 'utf8' })
  assert.notEqual(child.status, 0)
  assert.match(child.stderr, /pixelpool has no native binary for linux-x64-gnu: install the package pixelpool-linux-x64-gnu/)
})

test('on a platform with no prebuilt package the loader names it and lists the supported ones', (t) => {
  const dir = scratch(t)
  execFileSync('cp', ['-r', path.join(root, 'lib'), path.join(root, 'index.js'), path.join(root, 'package.json'), dir])
  const pretendRiscv = "Object.defineProperty(process, 'arch', { value: 'riscv64' }); require('./index.js')"
  const child = spawnSync(process.execPath, ['-e', pretendRiscv], { cwd: dir, encoding: 'utf8' })
  assert.notEqual(child.status, 0)
  const names = platforms.map((p) => p.name).join(', ')
  assert.ok(child.stderr.includes(`pixelpool has no native binary for linux-riscv64-gnu: prebuilt packages exist for ${names}`), child.stderr)
})

test('the platform packages in npm/ are the ones lib/platforms.js describes', () => {
  const check = spawnSync(process.execPath, [path.join(root, 'scripts', 'platform-packages.mjs'), '--check'], { encoding: 'utf8' })
  assert.equal(check.status, 0, check.stderr)
  assert.deepEqual(readdirSync(path.join(root, 'npm')).sort(), platforms.map((p) => p.name).sort())
})
