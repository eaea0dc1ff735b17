// Builds the addon with cargo and places it where lib/native.js looks for it, named as
// napi-rs does: pixelpool.<platform>.node. `--debug` skips optimisation. Installs nasm and
// cmake first when they are missing and it can (see system-tools.mjs).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureTools } from './system-tools.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const { localBinaryName } = createRequire(import.meta.url)('../lib/platforms.js')
const release = !process.argv.includes('--debug')

// nasm builds the SIMD of libjpeg-turbo and libaom; cmake builds libaom.
ensureTools(['nasm', 'cmake'])
const args = ['build', '-p', 'pixelpool-node', ...(release ? ['--release'] : [])]
execFileSync('cargo', args, { cwd: root, stdio: 'inherit' })

const libraries = { linux: 'libpixelpool_node.so', darwin: 'libpixelpool_node.dylib', win32: 'pixelpool_node.dll' }
const target = path.join(root, localBinaryName())
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(root, 'target')
copyFileSync(path.join(targetDir, release ? 'release' : 'debug', libraries[process.platform]), target)
console.log(`built ${path.relative(root, target)}`)

// packages/sharp (pixelpool-sharp) requires 'pixelpool': in the repo that is this checkout,
// linked as npm link would (installed from the registry, it is the dependency).
const link = path.join(root, 'packages', 'sharp', 'node_modules', 'pixelpool')
mkdirSync(path.dirname(link), { recursive: true })
rmSync(link, { recursive: true, force: true })
symlinkSync(path.relative(path.dirname(link), root), link, process.platform === 'win32' ? 'junction' : 'dir')
