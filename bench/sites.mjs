// npm run bench:sites: an Eleventy and an Astro site of corpus photos, each photo at three
// widths in AVIF, WebP and JPEG/PNG (the tools' own encoder defaults), built with stock
// sharp and with pixelpool-sharp (the override), same machine, same run. Reports per site
// and side: whole build, image part (build minus the same build rendering no images), peak
// RSS, output bytes and the mean SSIMULACRA2 of a sample. Usage: [--photos N] [--runs N]
// [--formats webp,jpeg] (the sites' formats; default AVIF, WebP and JPEG).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { corpus, root, score } from './sides.mjs'
import { writeSite, install, build, referencedImages, imagesByPicture, tools } from '../scripts/sites/site.mjs'

const argument = (name, fallback) => {
  const at = process.argv.indexOf(name)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}
const count = argument('--photos', 30)
const runs = argument('--runs', 1)
const formatsAt = process.argv.indexOf('--formats')
const formatEnv = formatsAt >= 0 ? { PIXELPOOL_SITE_FORMATS: process.argv[formatsAt + 1] } : {}
// Every non-budgie photo (EXIF-rotated JPEGs, PNGs, WebPs), then budgie JPEGs up to the count;
// sorted by name, the order both sites render them in.
const names = readFileSync(path.join(corpus, '..', 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).map((line) => line.split('\t')[0]).filter(Boolean)
const photos = [...names.filter((n) => !n.startsWith('budgie-')), ...names.filter((n) => n.startsWith('budgie-'))]
  .slice(0, count).sort().map((name) => path.join(corpus, name))
execFileSync('cargo', ['build', '--release', '-q', '-p', 'pixelpool-bench'], { cwd: root, stdio: 'inherit' })

const work = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-bench-sites-'))
const tarballs = execFileSync(process.execPath, [path.join(root, 'scripts', 'pack.mjs'), work, '--only', 'linux-x64-gnu'], { encoding: 'utf8' }).trim().split('\n')

/** Each build starts cold: no output, no tool cache of earlier outputs. */
function clean(tool, dir) {
  for (const cache of [tools[tool].out, '.cache', 'node_modules/.astro']) rmSync(path.join(dir, cache), { recursive: true, force: true })
}

async function best(tool, dir, env) {
  let fastest
  for (let run = 0; run < runs; run++) {
    clean(tool, dir)
    const result = await build(tool, dir, env)
    if (!fastest || result.ms < fastest.ms) fastest = result
  }
  return fastest
}

/** Every output of a sample of photos (every fifth), scored against its original. */
function sampleQuality(tool, dir) {
  const pictures = imagesByPicture(tool, dir)
  if (pictures.length !== photos.length) throw new Error(`${tool}: ${pictures.length} pictures for ${photos.length} photos`)
  const scores = photos.flatMap((photo, i) => (i % 5 === 0 ? score(photo, pictures[i]) : []))
  return scores.reduce((a, b) => a + b, 0) / scores.length
}

const rows = []
for (const tool of ['eleventy', 'astro']) {
  for (const side of ['sharp', 'pixelpool']) {
    const dir = path.join(work, `${tool}-${side}`)
    writeSite(tool, dir, photos, side === 'pixelpool' ? tarballs : undefined)
    install(dir)
    const baseline = await best(tool, dir, { ...formatEnv, PIXELPOOL_SITE_NO_IMAGES: '1' })
    const full = await best(tool, dir, formatEnv)
    const images = referencedImages(tool, dir)
    const bytes = [...new Set(images)].reduce((total, file) => total + statSync(file).size, 0)
    rows.push({ tool, side, buildMs: full.ms, imageMs: full.ms - baseline.ms, peakMiB: full.peakKiB / 1024, bytes, files: new Set(images).size, ssimulacra2: sampleQuality(tool, dir) })
    console.error(`${tool} ${side}: ${(full.ms / 1000).toFixed(1)} s`)
  }
}

const header = '| site | side | build s | image part s | image speed-up | peak RSS MiB | output bytes | files | SSIMULACRA2 (sample) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |'
const lines = rows.map((row) => {
  const stock = rows.find((r) => r.tool === row.tool && r.side === 'sharp')
  const speedUp = row.side === 'sharp' ? '1.00x' : `**${(stock.imageMs / row.imageMs).toFixed(2)}x**`
  const bytes = row.side === 'sharp' ? `${row.bytes}` : `${row.bytes} (${((row.bytes / stock.bytes - 1) * 100).toFixed(1)}%)`
  return `| ${row.tool} | ${row.side} | ${(row.buildMs / 1000).toFixed(1)} | ${(row.imageMs / 1000).toFixed(1)} | ${speedUp} | ${row.peakMiB.toFixed(0)} | ${bytes} | ${row.files} | ${row.ssimulacra2.toFixed(2)} |`
})
const report = `${photos.length} photos, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}, \`npm run bench:sites${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\`\n\n${header}\n${lines.join('\n')}\n`
console.log(report)
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true })
writeFileSync(path.join(root, 'bench', 'results', formatsAt >= 0 ? `sites-${process.argv[formatsAt + 1].replaceAll(',', '-')}.md` : 'sites.md'), report)
rmSync(work, { recursive: true, force: true })
