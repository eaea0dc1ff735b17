'use strict'

const { existsSync } = require('node:fs')
const path = require('node:path')

/**
 * Finds the compiled addon: a local build beside package.json first (napi-rs names it
 * pixelpool.<platform>.node), then the per-platform npm package.
 */
function platformSuffix() {
  const { platform, arch } = process
  if (platform === 'linux') {
    const glibc = process.report?.getReport().header.glibcVersionRuntime
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`
  }
  return `${platform}-${arch}`
}

function load() {
  const suffix = platformSuffix()
  const local = path.join(__dirname, '..', `pixelpool.${suffix}.node`)
  if (existsSync(local)) return require(local)
  try {
    return require(`pixelpool-${suffix}`)
  } catch (error) {
    const hint = `pixelpool has no native binary for ${suffix}: install the package pixelpool-${suffix}, or build from source with \`npm run build\``
    throw new Error(hint, { cause: error })
  }
}

module.exports = load()
