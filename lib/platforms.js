'use strict'

/**
 * The platforms pixelpool publishes a prebuilt addon for, one npm package each
 * (`pixelpool-<name>`, in `npm/<name>/`). The loader, the packages, the cross build and its
 * tests all read this list. `libc` is set for Linux only; `triple` is the Rust target.
 */
const platforms = [
  { name: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc', triple: 'x86_64-unknown-linux-gnu', label: 'Linux x64, glibc 2.17 or later' },
  { name: 'linux-arm64-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc', triple: 'aarch64-unknown-linux-gnu', label: 'Linux arm64, glibc 2.17 or later' },
  { name: 'linux-x64-musl', os: 'linux', cpu: 'x64', libc: 'musl', triple: 'x86_64-unknown-linux-musl', label: 'Linux x64, musl (Alpine)' },
  { name: 'linux-arm64-musl', os: 'linux', cpu: 'arm64', libc: 'musl', triple: 'aarch64-unknown-linux-musl', label: 'Linux arm64, musl (Alpine)' },
  { name: 'win32-x64-gnu', os: 'win32', cpu: 'x64', triple: 'x86_64-pc-windows-gnu', label: 'Windows x64 (built with the GNU toolchain; needs the UCRT of Windows 10 or later)' },
  { name: 'darwin-arm64', os: 'darwin', cpu: 'arm64', triple: 'aarch64-apple-darwin', label: 'macOS arm64 (Apple silicon), 11.0 or later' },
  { name: 'darwin-x64', os: 'darwin', cpu: 'x64', triple: 'x86_64-apple-darwin', label: 'macOS x64 (Intel), 11.0 or later' },
]

/** This process's libc on Linux ('glibc' or 'musl'), else undefined. */
function runningLibc() {
  if (process.platform !== 'linux') return undefined
  return process.report?.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl'
}

/** The platform this process runs on, or undefined when pixelpool publishes none for it. */
function currentPlatform() {
  const libc = runningLibc()
  return platforms.find((p) => p.os === process.platform && p.cpu === process.arch && p.libc === libc)
}

/** How this process's platform is named in errors: `<os>-<cpu>[-<libc>]`. */
function describeRunning() {
  const libc = runningLibc()
  return [process.platform, process.arch, libc === 'glibc' ? 'gnu' : libc].filter(Boolean).join('-')
}

/** The file name `npm run build` gives a local build, and the loader looks for first. */
function localBinaryName() {
  return `pixelpool.${currentPlatform()?.name ?? describeRunning()}.node`
}

module.exports = { platforms, currentPlatform, describeRunning, localBinaryName }
