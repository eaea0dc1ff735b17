// npm run test:cross [-- PLATFORM...]: for every platform whose addon build:cross has built
// (or the named ones), packs it with the main package, installs both into a fresh project
// (npm --os/--cpu/--libc, no Rust on PATH), and runs real jobs in a real Node of that
// platform (see runtimes.mjs), comparing the outputs with this machine's native build
// (`npm run build`). macOS addons are checked without running (macho.mjs); build:cross
// has already checked every codec's SIMD (simd.mjs). Built worker binaries are tested by
// workers.mjs. Prints one line per platform; exits 1 on any problem.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { compareResults, prepareInputs, writeJobs } from './jobs.mjs'
import { checkMacAddon } from './macho.mjs'
import { addonPath, root } from './recipes.mjs'
import { runtimeFor } from './runtimes.mjs'
import { ensureToolchain } from './toolchain.mjs'
import { testWorkers } from './workers.mjs'
import { ensureTools, pathWithoutRust } from '../system-tools.mjs'

const require = createRequire(import.meta.url)
const { platforms, localBinaryName } = require('../../lib/platforms.js')
const work = path.join(root, 'target', 'cross', 'test')
const probe = path.join(root, 'scripts', 'cross', 'probe.cjs')

/** Packs the main and the platform package and installs them as npm would on that platform. */
function installFor(platform) {
  const dir = path.join(work, 'install', platform.name)
  rmSync(dir, { recursive: true, force: true })
  const project = path.join(dir, 'project')
  mkdirSync(project, { recursive: true })
  const tarballs = execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.mjs'), dir, '--only', platform.name], { encoding: 'utf8' }).trim().split('\n')
  const [main] = tarballs
  const platformTarball = tarballs.find((file) => path.basename(file).startsWith(`pixelpool-${platform.name}-`))
  // The platform package arrives as the main package's optional dependency, as from the
  // registry; npm installs it only if --os/--cpu/--libc match its manifest.
  const consumer = {
    name: 'consumer',
    version: '1.0.0',
    private: true,
    dependencies: { pixelpool: `file:${main}` },
    overrides: { [`pixelpool-${platform.name}`]: `file:${platformTarball}` },
  }
  writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(consumer, null, 2)}\n`)
  const flags = ['--os', platform.os, '--cpu', platform.cpu, ...(platform.libc ? ['--libc', platform.libc] : [])]
  const env = { ...process.env, PATH: pathWithoutRust(path.join(dir, 'bin')) }
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...flags], { cwd: project, env, stdio: ['ignore', 'ignore', 'inherit'] })
  if (!existsSync(path.join(project, 'node_modules', `pixelpool-${platform.name}`, `pixelpool.${platform.name}.node`))) throw new Error(`npm did not install pixelpool-${platform.name}`)
  copyFileSync(probe, path.join(project, 'probe.cjs'))
  return { project, env }
}

/** Runs the probe with this machine's native build (`npm run build`): the reference. */
function runNative(inputs) {
  if (!existsSync(path.join(root, localBinaryName()))) throw new Error('no native build to compare with: run `npm run build` first')
  const outDir = path.join(work, 'out', 'native')
  const result = path.join(outDir, 'result.json')
  // probe.cjs requires 'pixelpool': from inside this package that is the package itself.
  execFileSync(process.execPath, [probe, writeJobs(inputs, outDir), result], { stdio: 'inherit' })
  return JSON.parse(readFileSync(result, 'utf8'))
}

async function makeAvif(from, to) {
  const { createQueue } = require('../../index.js')
  const queue = createQueue({ concurrency: 1 })
  await queue.process({ input: from, outputs: [{ path: to, format: 'avif', quality: 70 }] })
  await queue.close()
}

/** The newest glibc symbol version an addon needs; Linux gnu packages promise 2.17. */
function newestGlibc(file) {
  ensureTools(['objdump'])
  const versions = execFileSync('objdump', ['-T', file], { encoding: 'utf8', maxBuffer: 64 << 20 }).match(/GLIBC_[0-9.]+/g) ?? []
  const numbers = versions.map((v) => v.slice(6).split('.').map(Number))
  numbers.sort((a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0))
  return numbers.at(-1)?.join('.')
}

async function testAddon(platform, native, inputs, tools) {
  const problems = []
  if (platform.libc === 'glibc') {
    const [major, minor] = newestGlibc(addonPath(platform.name)).split('.').map(Number)
    if (major > 2 || (major === 2 && minor > 17)) problems.push(`needs glibc ${major}.${minor}, more than 2.17`)
  }
  if (platform.os === 'darwin') {
    const mac = checkMacAddon(addonPath(platform.name), { cpu: platform.cpu, minOS: '11.0.0' })
    return { name: platform.name, how: `not run (no Mac here): ${mac.summary}`, problems: mac.problems }
  }
  const runtime = runtimeFor(platform.name, tools)
  const { project, env } = installFor(platform)
  const outDir = path.join(work, 'out', platform.name)
  rmSync(outDir, { recursive: true, force: true })
  const jobs = writeJobs(inputs, outDir)
  const resultFile = path.join(outDir, 'result.json')
  const run = runtime.node(['probe.cjs', jobs, resultFile], { cwd: project, env, logs: path.join(outDir, 'logs') })
  if (!existsSync(resultFile)) {
    problems.push(`Node exited with ${run.status ?? run.signal} and no result: ${run.stderr.slice(-2000)}`)
    return { name: platform.name, how: runtime.how, problems }
  }
  const compared = await compareResults(native, JSON.parse(readFileSync(resultFile, 'utf8')), inputs)
  const worst = (avif) => Math.max(0, ...compared.rows.filter((r) => r.avif === avif).map((r) => r.difference))
  problems.push(...compared.problems)
  const how = `${runtime.how}: installed with npm, ${compared.rows.length} outputs, largest mean difference from native ${worst(false).toFixed(3)}; AVIF at most ${worst(true).toFixed(3)} further from the native PNG than the native AVIF`
  return { name: platform.name, how, problems }
}

const named = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const chosen = platforms.filter((p) => (named.length > 0 ? named.includes(p.name) : existsSync(addonPath(p.name))))
const unbuilt = chosen.filter((p) => !existsSync(addonPath(p.name)))
if (chosen.length === 0 || unbuilt.length > 0) {
  console.error(`not built: ${unbuilt.map((p) => p.name).join(', ') || 'any platform'}; run npm run build:cross first`)
  process.exit(1)
}
const tools = ensureToolchain(root)
const inputs = await prepareInputs(path.join(work, 'inputs'), makeAvif)
const native = runNative(inputs)
const rows = []
for (const platform of chosen) rows.push(await testAddon(platform, native, inputs, tools))
if (named.length === 0 || process.argv.includes('--workers')) rows.push(...(await testWorkers()))
for (const row of rows) {
  console.log(`${row.problems.length === 0 ? 'ok  ' : 'FAIL'} ${row.name}: ${row.how}`)
  for (const problem of row.problems) console.log(`       ${problem}`)
}
process.exitCode = rows.some((r) => r.problems.length > 0) ? 1 : 0
