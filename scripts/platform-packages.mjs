// Writes npm/<platform>/package.json and README.md for every platform of lib/platforms.js,
// so that adding a platform is one edit there. `--check` writes nothing and fails when a
// file is not what this would write (a test runs it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const { platforms } = createRequire(import.meta.url)('../lib/platforms.js')
const main = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))

function platformPackage(platform) {
  const binary = `pixelpool.${platform.name}.node`
  return {
    name: `pixelpool-${platform.name}`,
    version: main.version,
    description: `pixelpool's native addon for ${platform.label}.`,
    license: main.license,
    main: binary,
    files: [binary],
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    engines: main.engines,
  }
}

function readme(platform) {
  return `# pixelpool-${platform.name}

The prebuilt native addon of [pixelpool](../../README.md) for ${platform.label}.
Installed automatically as an optional dependency of \`pixelpool\`; not used directly.
`
}

const check = process.argv.includes('--check')
const stale = []
for (const platform of platforms) {
  const dir = path.join(root, 'npm', platform.name)
  const files = { 'package.json': `${JSON.stringify(platformPackage(platform), null, 2)}\n`, 'README.md': readme(platform) }
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name)
    if (existsSync(file) && readFileSync(file, 'utf8') === text) continue
    if (check) stale.push(path.relative(root, file))
    else {
      mkdirSync(dir, { recursive: true })
      writeFileSync(file, text)
    }
  }
}
if (stale.length > 0) {
  console.error(`out of date with lib/platforms.js (run node scripts/platform-packages.mjs): ${stale.join(', ')}`)
  process.exit(1)
}
