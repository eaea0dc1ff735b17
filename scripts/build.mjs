// Builds the addon with cargo and places it where lib/native.js looks for it, named as
// napi-rs does: pixelpool.<platform>-<arch>-<abi>.node. `--debug` skips optimisation.
import { execFileSync } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const release = !process.argv.includes('--debug')
const args = ['build', '-p', 'pixelpool-node', ...(release ? ['--release'] : [])]
execFileSync('cargo', args, { cwd: root, stdio: 'inherit' })

const libraries = { linux: 'libpixelpool_node.so', darwin: 'libpixelpool_node.dylib', win32: 'pixelpool_node.dll' }
const abi = process.platform === 'linux' ? (process.report.getReport().header.glibcVersionRuntime ? '-gnu' : '-musl') : ''
const target = path.join(root, `pixelpool.${process.platform}-${process.arch}${abi}.node`)
copyFileSync(path.join(root, 'target', release ? 'release' : 'debug', libraries[process.platform]), target)
console.log(`built ${path.relative(root, target)}`)
