'use strict'

const { existsSync } = require('node:fs')
const path = require('node:path')
const { platforms, currentPlatform, describeRunning, localBinaryName } = require('./platforms')

/**
 * Finds the compiled addon: a local build beside package.json first (named as napi-rs does,
 * pixelpool.<platform>.node), then the platform's npm package.
 */
function load() {
  const local = path.join(__dirname, '..', localBinaryName())
  if (existsSync(local)) return require(local)
  const platform = currentPlatform()
  if (!platform) {
    const supported = platforms.map((p) => p.name).join(', ')
    throw new Error(`pixelpool has no native binary for ${describeRunning()}: prebuilt packages exist for ${supported}; on other platforms build from source with \`npm run build\``)
  }
  try {
    return require(`pixelpool-${platform.name}`)
  } catch (error) {
    const hint = `pixelpool has no native binary for ${platform.name}: install the package pixelpool-${platform.name}, or build from source with \`npm run build\``
    throw new Error(hint, { cause: error })
  }
}

module.exports = load()
