// The cross toolchain, installed on first use: Debian's rustc-web (an LLVM for every target
// and the std sources, for -Zbuild-std), and zig with cargo-zigbuild from PyPI as the C
// compiler and linker of every target, in a private virtualenv under target/cross/tools.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { aptInstall, ensureTools } from '../system-tools.mjs'

const ZIG_VERSION = '0.17.1'
const ZIGBUILD_VERSION = '0.24.1'
// Where Debian's rustc-web puts rustc and cargo; rustup's folder comes first on PATH.
const SYSTEM_RUST = '/usr/bin'

/** Installs what the cross build needs; returns the folder it keeps its own tools in. */
export function ensureToolchain(root) {
  const tools = path.join(root, 'target', 'cross', 'tools')
  ensureTools(['nasm', 'cmake', 'python3'])
  aptInstall(['rustc-web', 'cargo-web', 'rust-web-src', 'python3-venv'])
  const venv = path.join(tools, 'venv')
  const marker = path.join(venv, `zig-${ZIG_VERSION}-zigbuild-${ZIGBUILD_VERSION}`)
  if (!existsSync(marker)) {
    mkdirSync(tools, { recursive: true })
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' })
    const pip = path.join(venv, 'bin', 'pip')
    execFileSync(pip, ['install', '-q', `ziglang==${ZIG_VERSION}`, `cargo-zigbuild==${ZIGBUILD_VERSION}`], { stdio: 'inherit' })
    writeFileSync(marker, '')
  }
  return tools
}

/** The environment of one build: zig's tools first, then the Rust that has the target's std. */
export function buildEnv(tools, build) {
  const rustupBin = path.dirname(execFileSync('rustup', ['which', 'cargo'], { encoding: 'utf8' }).trim())
  const rust = build.buildStd ? SYSTEM_RUST : rustupBin
  const env = { ...process.env, ...build.env }
  env.PATH = [path.join(tools, 'venv', 'bin'), rust, process.env.PATH].join(path.delimiter)
  // Lets the stable rustc-web take -Zbuild-std.
  if (build.buildStd) env.RUSTC_BOOTSTRAP = '1'
  delete env.RUSTUP_TOOLCHAIN
  if (build.rustflags.length > 0) env[`CARGO_TARGET_${build.triple.toUpperCase().replaceAll('-', '_')}_RUSTFLAGS`] = build.rustflags.join(' ')
  return env
}
