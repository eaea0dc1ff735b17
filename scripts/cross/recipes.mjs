// How each platform of lib/platforms.js is cross-built here: the cargo-zigbuild target, the
// extra flags, and which worker binary comes out of the same build. The reasons are in
// docs/cross-build.md.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const { platforms } = createRequire(import.meta.url)('../../lib/platforms.js')

/** The standalone worker binaries: static musl on Linux (runs on any distribution), else native. */
export const workers = [
  { name: 'linux-x64', triple: 'x86_64-unknown-linux-musl', static: true },
  { name: 'linux-arm64', triple: 'aarch64-unknown-linux-musl', static: true },
  { name: 'win32-x64', triple: 'x86_64-pc-windows-gnu', addon: 'win32-x64-gnu' },
  { name: 'darwin-arm64', triple: 'aarch64-apple-darwin', addon: 'darwin-arm64' },
  { name: 'darwin-x64', triple: 'x86_64-apple-darwin', addon: 'darwin-x64' },
]

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Where build:cross leaves a platform's addon: in its npm package, as napi-rs does. */
export function addonPath(name) {
  return path.join(root, 'npm', name, `pixelpool.${name}.node`)
}

/** Where build:cross leaves a worker binary (`name` as in `workers`). */
export function workerPath(name) {
  return path.join(root, 'target', 'cross', 'workers', name, name.startsWith('win32') ? 'pixelpool.exe' : 'pixelpool')
}

const HOST = 'x86_64-unknown-linux-gnu'

/**
 * One cargo-zigbuild invocation: a platform's addon (`addon`, with the worker when `workers`
 * builds one alongside it), or a static musl worker alone (`staticWorker`).
 */
function recipe(triple, { addon, worker, staticWorker = false }) {
  const linuxGnu = triple.endsWith('-linux-gnu')
  const rustflags = []
  // The musl target defaults to a static C runtime, which cannot make a shared library.
  if (triple.endsWith('-musl') && !staticWorker) rustflags.push('-C', 'target-feature=-crt-static')
  return {
    triple,
    addon,
    worker,
    staticWorker,
    // glibc 2.17 symbol versions, as napi-rs and sharp publish for Linux.
    zigTarget: linuxGnu ? `${triple}.2.17` : triple,
    // rustup here has only the host's standard library; other targets build std from source.
    buildStd: triple !== HOST,
    rustflags,
    env: triple.endsWith('-apple-darwin') ? { MACOSX_DEPLOYMENT_TARGET: '11.0' } : {},
    // libaom-sys names the CPU `aarch64`, libaom knows only `arm64` and silently drops NEON.
    aomCpu: triple.startsWith('aarch64-') ? 'arm64' : undefined,
    // A static worker and a musl addon differ in RUSTFLAGS: separate folders keep both cached.
    targetDir: staticWorker ? 'static' : '.',
  }
}

/** The builds that produce the named platforms' addons and workers. */
export function buildsFor(names) {
  const builds = []
  for (const platform of platforms.filter((p) => names.includes(p.name))) {
    const worker = workers.find((w) => w.addon === platform.name)
    builds.push(recipe(platform.triple, { addon: platform.name, worker: worker?.name }))
  }
  for (const worker of workers.filter((w) => w.static && names.some((n) => n.startsWith(`${w.name}-`)))) {
    builds.push(recipe(worker.triple, { worker: worker.name, staticWorker: true }))
  }
  return builds
}

export const allPlatformNames = platforms.map((p) => p.name)
