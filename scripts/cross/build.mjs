// npm run build:cross [-- PLATFORM... [--no-workers]]: cross-builds the addon of each named
// platform (all of lib/platforms.js when none is named) into npm/<platform>/, and the
// standalone worker binaries into target/cross/workers/<os>-<cpu>/ (--no-workers skips the
// static Linux ones, which are builds of their own). Installs its toolchain
// on first use (see toolchain.mjs), fails when a codec lost its SIMD (simd.mjs), and prints
// the time and size of each build.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { addonPath, allPlatformNames, buildsFor, root, workerPath } from './recipes.mjs'
import { buildEnv, ensureToolchain } from './toolchain.mjs'
import { prepareWindows } from './windows.mjs'
import { aomConfig } from './aom.mjs'
import { simdProblems } from './simd.mjs'

const args = process.argv.slice(2)
const named = args.filter((a) => !a.startsWith('--'))
const unknown = named.filter((n) => !allPlatformNames.includes(n))
if (unknown.length > 0) {
  console.error(`unknown platform ${unknown.join(', ')}; known: ${allPlatformNames.join(', ')}`)
  process.exit(2)
}
const withWorkers = !args.includes('--no-workers')
const builds = buildsFor(named.length > 0 ? named : allPlatformNames).filter((b) => withWorkers || b.addon)

/** Where cargo leaves the addon and the worker of a target. */
function artefacts(build, dir) {
  const windows = build.triple.includes('windows')
  const darwin = build.triple.includes('darwin')
  return {
    addon: path.join(dir, windows ? 'pixelpool_node.dll' : darwin ? 'libpixelpool_node.dylib' : 'libpixelpool_node.so'),
    worker: path.join(dir, windows ? 'pixelpool.exe' : 'pixelpool'),
  }
}

function run(build, tools) {
  const env = buildEnv(tools, build)
  const packages = [...(build.addon ? ['pixelpool-node'] : []), ...(build.worker ? ['pixelpool-cli'] : [])]
  const targetDir = path.join(root, 'target', 'cross', build.targetDir)
  const args = ['--release', '--target', build.zigTarget, '--target-dir', targetDir]
  // panic_unwind, not panic_abort: the JPEG codec reports libjpeg errors by unwinding.
  if (build.buildStd) args.push('-Zbuild-std=std,panic_unwind')
  for (const p of packages) args.push('-p', p)
  if (build.triple.includes('windows')) Object.assign(env, prepareWindows(tools, build))
  if (build.aomCpu) args.push('--config', aomConfig(tools, build, targetDir))
  if (build.staticWorker) {
    // Linked with zig's musl start files: rustc's self-contained ones are not in a std built
    // from source (`rcrt1.o: FileNotFound`). `cargo rustc` gives the flag to the final crate
    // only, so the dependencies stay as built.
    execFileSync('cargo-zigbuild', ['rustc', ...args, '--bin', 'pixelpool', '--', '-C', 'link-self-contained=no'], { cwd: root, env, stdio: 'inherit' })
  } else {
    execFileSync('cargo', ['zigbuild', ...args], { cwd: root, env, stdio: 'inherit' })
  }

  const releaseDir = path.join(targetDir, build.triple, 'release')
  const problems = simdProblems(releaseDir, build.triple)
  if (problems.length > 0) throw new Error(`${build.triple}: ${problems.join('; ')}`)
  const built = artefacts(build, releaseDir)
  const made = []
  if (build.addon) {
    copyFileSync(built.addon, addonPath(build.addon))
    made.push(addonPath(build.addon))
  }
  if (build.worker) {
    mkdirSync(path.dirname(workerPath(build.worker)), { recursive: true })
    copyFileSync(built.worker, workerPath(build.worker))
    made.push(workerPath(build.worker))
  }
  return made
}

const tools = ensureToolchain(root)
const report = []
for (const build of builds) {
  const started = Date.now()
  const made = run(build, tools)
  const seconds = Math.round((Date.now() - started) / 1000)
  for (const file of made) report.push(`${path.relative(root, file)}  ${(statSync(file).size / 1e6).toFixed(1)} MB  (${build.triple}, ${seconds} s)`)
}
console.log(report.join('\n'))
