// npm run e2e:sites [-- TOOL...]: the tools that call sharp directly, each in a small real
// project of a few corpus photos, run once with stock sharp and once with pixelpool-sharp
// through the override (from the packed tarballs): vite-imagetools (`vite build`),
// @sveltejs/enhanced-img, a plain `gatsby build` with gatsby-plugin-sharp, ipx 3 and ipx 4
// serving modifiers over HTTP, favicons (every icon from a PNG and an SVG), and Next.js
// (`next build && next start`, then /_next/image). ipx 4 and favicons are compared by pixel
// too (within 2 of 255).
// Checks that the override put pixelpool-sharp in place of every sharp, then reports per
// tool what matched stock (format and size of every image) and what did not, with the
// error; writes bench/results/e2e-sites.md. Needs the npm registry. Not in CI.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { root, install, replaceSharp } from './sites/site.mjs'

const corpus = path.join(root, '..', 'shared', 'corpus', 'photos')
const photos = ['budgie-canyon-wren.jpg', 'exiforient-portrait-8.jpg', 'kodak-kodim05.png', 'golibwebp-cosmos.webp'].map((p) => path.join(corpus, p))
const all = ['vite-imagetools', 'enhanced-img', 'gatsby', 'ipx', 'ipx4', 'favicons', 'next']
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const tools = chosen.length ? chosen : all
const work = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-e2e-sites-'))
const tarballs = execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.mjs'), work, '--only', 'linux-x64-gnu'], { encoding: 'utf8' }).trim().split('\n')

function project(name, tool, dir, replaced) {
  const esm = name === 'vite-imagetools' || name === 'enhanced-img'
  const manifest = { name: `${name}-e2e`, version: '1.0.0', private: true, ...(esm ? { type: 'module' } : {}), dependencies: { ...tool.dependencies } }
  if (tool.stockOverrides) manifest.overrides = { ...tool.stockOverrides }
  if (replaced) {
    delete manifest.overrides?.sharp
    replaceSharp(manifest, tarballs)
  }
  for (const [file, text] of Object.entries({ ...tool.files(photos), 'package.json': JSON.stringify(manifest, null, 2) })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
}

/** The name of every installed package called sharp: pixelpool-sharp everywhere after the override. */
function installedSharps(dir) {
  return readdirSync(path.join(dir, 'node_modules'), { recursive: true })
    .filter((file) => file.split(path.sep).slice(-2).join('/') === 'sharp/package.json')
    .map((file) => JSON.parse(readFileSync(path.join(dir, 'node_modules', file), 'utf8')).name)
}

async function side(name, tool, replaced) {
  const dir = path.join(work, `${name}-${replaced ? 'pixelpool' : 'sharp'}`)
  try {
    project(name, tool, dir, replaced)
    install(dir)
    const sharps = installedSharps(dir)
    const wanted = replaced ? 'pixelpool-sharp' : 'sharp'
    if (sharps.length === 0 || sharps.some((n) => n !== wanted)) throw new Error(`installed sharp packages: ${sharps.join(', ') || 'none'}, expected ${wanted}`)
    const started = Date.now()
    const images = await tool.run(dir)
    return { images, seconds: (Date.now() - started) / 1000 }
  } catch (error) {
    return { error: String(error.message).split('\n').slice(0, 6).join(' ') }
  }
}

/** For tools that describe pixels too: every image within 2 of 255 of stock's (mean). */
function pixelVerdict(stock, ours) {
  if (!stock.some((i) => i.pixels)) return undefined
  const mean = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length
  const far = []
  let worst = 0
  for (const image of stock.filter((i) => i.pixels)) {
    const match = ours.find((i) => i.label === image.label)
    const difference = mean(Buffer.from(image.pixels, 'base64'), Buffer.from(match.pixels, 'base64'))
    worst = Math.max(worst, difference)
    if (difference > 2) far.push(`${image.label} ${difference.toFixed(2)}`)
  }
  if (far.length) return { verdict: 'differs', detail: `pixels more than 2 of 255 from stock: ${far.slice(0, 4).join('; ')}` }
  return { verdict: 'same', detail: `${stock.length} images, same formats and sizes, pixels within ${worst.toFixed(2)} of 255 (mean)` }
}

function compare(stock, ours) {
  if (stock.error || ours.error) return { verdict: 'error', detail: ours.error ?? `stock failed: ${stock.error}` }
  const key = (i) => `${i.label}: ${i.status ?? ''} ${i.format} ${i.width}x${i.height}`
  const expected = stock.images.map(key)
  const actual = ours.images.map(key)
  const missing = expected.filter((k) => !actual.includes(k))
  const extra = actual.filter((k) => !expected.includes(k))
  if (missing.length === 0 && extra.length === 0) return pixelVerdict(stock.images, ours.images) ?? { verdict: 'same', detail: `${expected.length} images, same formats and sizes` }
  return { verdict: 'differs', detail: `stock only: ${missing.slice(0, 4).join('; ')}${missing.length > 4 ? ` (+${missing.length - 4})` : ''} | pixelpool only: ${extra.slice(0, 4).join('; ')}` }
}

const rows = []
for (const name of tools) {
  const tool = await import(`./sites/e2e/${name}.mjs`)
  const stock = await side(name, tool, false)
  const ours = await side(name, tool, true)
  const { verdict, detail } = compare(stock, ours)
  rows.push(`| ${name} | ${verdict} | ${stock.seconds?.toFixed(1) ?? '-'} | ${ours.seconds?.toFixed(1) ?? '-'} | ${detail.replaceAll('|', '/')} |`)
  console.error(rows.at(-1))
}
const report = `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, \`npm run e2e:sites\`\n\n| tool | with pixelpool-sharp | stock s | pixelpool s | detail |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`
console.log(report)
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true })
writeFileSync(path.join(root, 'bench', 'results', 'e2e-sites.md'), report)
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true })
