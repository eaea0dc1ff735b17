// Packs what `npm publish` would ship, napi-rs style: the main package, naming every
// platform package as an optional dependency, and each platform package whose addon has
// been built: npm/<platform>/pixelpool.<platform>.node (from build:cross), or for this
// machine's platform the local build beside package.json (from `npm run build`).
// Also packs pixelpool-sharp (packages/sharp). Usage: node scripts/pack.mjs [DEST]
// [--only PLATFORM,...]. Prints the tarball paths: main, pixelpool-sharp, then platforms.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const { platforms, localBinaryName } = createRequire(import.meta.url)('../lib/platforms.js')
const args = process.argv.slice(2)
const onlyAt = args.indexOf('--only')
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1].split(',') : undefined
const dest = path.resolve(args[0] ?? root)
const main = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

function pack(dir) {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dest], { cwd: dir, encoding: 'utf8' })
  return path.join(dest, out.trim().split('\n').at(-1))
}

/** The built addon of a platform, or undefined; of a cross and a local build, the newer. */
function builtAddon(name) {
  const local = path.join(root, localBinaryName())
  const candidates = [path.join(root, 'npm', name, `pixelpool.${name}.node`)]
  if (localBinaryName() === `pixelpool.${name}.node`) candidates.push(local)
  const built = candidates.filter((file) => existsSync(file))
  return built.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
}

/** Packs `files` (name in the package -> path here) with `manifest` as package.json. */
function packStaged(manifest, files) {
  const staging = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-pack-'))
  try {
    for (const [to, from] of Object.entries(files)) cpSync(from, path.join(staging, to), { recursive: true })
    writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    return pack(staging)
  } finally {
    rmSync(staging, { recursive: true, force: true })
  }
}

const tarballs = []
for (const platform of platforms.filter((p) => !only || only.includes(p.name))) {
  const addon = builtAddon(platform.name)
  if (!addon) continue
  const dir = path.join(root, 'npm', platform.name)
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
  tarballs.push(packStaged(manifest, { 'README.md': path.join(dir, 'README.md'), [manifest.main]: addon }))
}
if (only && tarballs.length < only.length) {
  console.error(`not built: ${only.filter((n) => !builtAddon(n)).join(', ')}`)
  process.exit(1)
}

// The repository's package.json stays free of optional dependencies that are not on the
// registry until published.
const published = { ...main, optionalDependencies: Object.fromEntries(platforms.map((p) => [`pixelpool-${p.name}`, main.version])) }
delete published.devDependencies
delete published.scripts
const files = Object.fromEntries([...main.files, 'README.md'].map((entry) => [entry, path.join(root, entry)]))
const sharpDir = path.join(root, 'packages', 'sharp')
const sharpManifest = JSON.parse(readFileSync(path.join(sharpDir, 'package.json'), 'utf8'))
const sharpFiles = Object.fromEntries([...sharpManifest.files, 'README.md'].map((entry) => [entry, path.join(sharpDir, entry)]))
tarballs.unshift(packStaged(published, files), packStaged(sharpManifest, sharpFiles))
console.log(tarballs.join('\n'))
