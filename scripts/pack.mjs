// Packs what `npm publish` would ship, napi-rs style: the per-platform package holding the
// prebuilt addon, and the main package naming it as an optional dependency.
// Usage: node scripts/pack.mjs [DEST]  (run `npm run build` first). Prints the tarball paths.
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const dest = path.resolve(process.argv[2] ?? root)
const main = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const platforms = ['linux-x64-gnu']

function pack(dir) {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dest], { cwd: dir, encoding: 'utf8' })
  return path.join(dest, out.trim().split('\n').at(-1))
}

const tarballs = []
for (const platform of platforms) {
  const dir = path.join(root, 'npm', platform)
  const binary = `pixelpool.${platform}.node`
  copyFileSync(path.join(root, binary), path.join(dir, binary))
  try {
    tarballs.push(pack(dir))
  } finally {
    rmSync(path.join(dir, binary))
  }
}

// The main package, staged so the repository's package.json stays free of optional
// dependencies that are not on the registry until published.
const staging = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-pack-'))
try {
  for (const entry of [...main.files, 'package.json', 'README.md']) cpSync(path.join(root, entry), path.join(staging, entry), { recursive: true })
  const published = { ...main, optionalDependencies: Object.fromEntries(platforms.map((p) => [`pixelpool-${p}`, main.version])) }
  delete published.devDependencies
  delete published.scripts
  writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(published, null, 2)}\n`)
  tarballs.unshift(pack(staging))
} finally {
  rmSync(staging, { recursive: true, force: true })
}
console.log(tarballs.join('\n'))
