// The system tools a build needs, installed with apt-get when they are missing and this is a
// Debian or Ubuntu machine run as root; otherwise the build stops at once with one line naming
// the packages for apt, Homebrew and winget.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs'
import path from 'node:path'

/** Each tool: the command that proves it is there and its package name per package manager. */
const tools = {
  nasm: { apt: 'nasm', brew: 'nasm', winget: 'NASM.NASM' },
  cmake: { apt: 'cmake', brew: 'cmake', winget: 'Kitware.CMake' },
  'redis-server': { apt: 'redis-server', brew: 'redis', winget: 'Redis.Redis' },
  'qemu-aarch64-static': { apt: 'qemu-user-static' },
  wine: { apt: 'wine' },
  file: { apt: 'file' },
  objdump: { apt: 'binutils' },
  python3: { apt: 'python3' },
}

/** The path of `command` on PATH, or undefined. */
function findOnPath(command, env = process.env) {
  const extensions = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const found = extensions.map((ext) => path.join(dir, command + ext)).find((file) => existsSync(file))
    if (found) return found
  }
  return undefined
}

export function onPath(command, env = process.env) {
  return findOnPath(command, env) !== undefined
}

function canUseApt() {
  return process.platform === 'linux' && process.getuid?.() === 0 && onPath('apt-get')
}

let aptUpdated = false

/** Installs Debian packages (not commands) when they are missing; as root only. */
export function aptInstall(packages) {
  const missing = packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0)
  if (missing.length === 0) return
  if (!canUseApt()) throw new Error(`missing Debian packages: apt-get install ${missing.join(' ')}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  if (!aptUpdated) spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  aptUpdated = true
  console.error(`installing ${missing.join(' ')} with apt-get`)
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env })
  if (install.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`)
}

/** Makes sure every named command is on PATH, installing with apt when it can. */
export function ensureTools(commands) {
  let missing = commands.filter((c) => !onPath(c))
  if (missing.length > 0 && canUseApt()) {
    aptInstall(missing.map((c) => tools[c].apt))
    missing = commands.filter((c) => !onPath(c))
  }
  if (missing.length === 0) return
  const names = (manager) => missing.map((c) => tools[c][manager]).filter(Boolean).join(' ')
  const winget = names('winget') ? `, winget install ${names('winget')}` : ''
  const brew = names('brew') ? `, brew install ${names('brew')}` : ''
  console.error(`pixelpool's build needs ${missing.join(' and ')}: install with apt-get install ${names('apt')}${brew}${winget}`)
  process.exit(1)
}

export function which(command, env = process.env) {
  const found = findOnPath(command, env)
  if (!found) throw new Error(`${command} is not on PATH`)
  return found
}

/**
 * PATH without any folder that holds cargo or rustc (an installed package must not need
 * them), and with node, npm and sh linked from `linkDir`: where the system's rustc shares
 * a folder with node (Debian's rustc-web does, in /usr/bin), that folder is left out too.
 */
export function pathWithoutRust(linkDir, env = process.env) {
  mkdirSync(linkDir, { recursive: true })
  for (const command of ['node', 'npm', 'sh']) {
    const link = path.join(linkDir, command)
    if (!existsSync(link)) symlinkSync(realpathSync(command === 'node' ? process.execPath : which(command, env)), link)
  }
  const rustless = (env.PATH ?? '').split(path.delimiter).filter((dir) => !existsSync(path.join(dir, 'cargo')) && !existsSync(path.join(dir, 'rustc')))
  return [linkDir, ...rustless].join(path.delimiter)
}
