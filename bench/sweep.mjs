// The size sweep: each photo resized by width only to widths spanning reductions 1.1x to
// 16x, to JPEG q80 and WebP q80, through both sides in the same run. Per point: the
// throughput ratio, the decoder-bound limit (bench/../crates/bench/src/limit.rs) and
// pixelpool's fraction of it, SSIMULACRA2 of both sides, bytes of both.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { benchTool, corpus, root, runChild, runSharp, score, SHARP_SETTINGS } from './sides.mjs'
import { outputPath } from './workloads.mjs'
import { sweepChart } from './sweep-chart.mjs'
import { sweepTable } from './sweep-table.mjs'

/**
 * Photos of different sizes and compressions. The corpus has no 6 MP photo: the nearest
 * are the 8.3 MP ones; canyon-wren is the most compressed of them (0.37 bits a pixel),
 * spices-of-life the least (2.3), sunset-beach is 25 MP, kodim23 a PNG and kinkaku a WebP.
 */
export const SWEEP_PHOTOS = [
  'budgie-canyon-wren.jpg',
  'budgie-the-spices-of-life.jpg',
  'budgie-sunset-beach.jpg',
  'kodak-kodim23.png',
  'golibwebp-kinkaku.webp',
]
export const REDUCTIONS = [1.1, 1.35, 1.7, 2.2, 2.8, 3.5, 4.5, 6, 8, 11, 16]
const FORMATS = ['jpeg', 'webp']
/**
 * Rounds per photo, each running sharp, pixelpool and the limit in turn; every point keeps
 * each side's fastest round. This machine's speed drifts by 10-20% over minutes, and one
 * side measured only while it was slow would swing that point's ratio by as much.
 */
const ROUNDS = 2

export async function runSweep({ quick, work, cores }) {
  const seconds = quick ? 0.3 : 1
  const rows = []
  const settings = []
  for (const name of SWEEP_PHOTOS) {
    const photo = path.join(corpus, name)
    const { width } = await sharp(photo).metadata()
    const points = REDUCTIONS.flatMap((reduction) => FORMATS.map((format) => ({ format, width: Math.round(width / reduction), reduction })))
    const best = bestSharpSetting(work, photo, points, cores)
    settings.push(`${name}: ${best.config}`)
    const common = { photo, points, seconds, parallel: cores }
    const rounds = Array.from({ length: quick ? 1 : ROUNDS }, () => ({
      sharp: runSharp(work, 'sweep', common, best),
      pixelpool: runChild(work, 'pixelpool', 'sweep', { ...common, concurrency: cores }),
      limits: decoderBound(photo, points, cores, seconds),
    }))
    const [sharpRun, pixelpoolRun] = ['sharp', 'pixelpool'].map((side) => fastestOf(rounds.map((r) => r[side])))
    const limits = points.map((_, i) => fastest(rounds.map((r) => r.limits[i])))
    console.error(`sweep: ${name} done (sharp at ${best.config})`)
    const outputs = (run) => points.map((p) => outputPath(run.out, photo, p.width, p.format))
    const scores = score(photo, [...outputs(sharpRun), ...outputs(pixelpoolRun)])
    const [sharpScores, pixelpoolScores] = [scores.slice(0, points.length), scores.slice(points.length)]
    points.forEach((point, i) => {
      const [s, p, limit] = [sharpRun.points[i], pixelpoolRun.points[i], limits[i]]
      rows.push({
        photo: name, ...point,
        sharpRate: s.rate, pixelpoolRate: p.rate, ratio: p.rate / s.rate,
        limitRate: limit.rate, ofLimit: p.rate / limit.rate, scale: limit.scale, decoded: limit.decoded,
        sharpScore: sharpScores[i], pixelpoolScore: pixelpoolScores[i],
        sharpBytes: s.bytes, pixelpoolBytes: p.bytes, profile: p.profile,
        sharpRss: sharpRun.peakRss, pixelpoolRss: pixelpoolRun.peakRss,
      })
    })
  }
  report(rows, settings, quick, cores)
  return rows
}

/** One side's rounds as one run: each point's fastest round, the highest peak RSS. */
function fastestOf(runs) {
  const points = runs[0].points.map((_, i) => fastest(runs.map((run) => run.points[i])))
  return { ...runs[0], points, peakRss: Math.max(...runs.map((run) => run.peakRss)) }
}

/** The measurement with the highest `rate`. */
const fastest = (measured) => measured.reduce((a, b) => (b.rate > a.rate ? b : a))

/** sharp's fastest setting for this photo, tried on the sweep's middle JPEG point. */
function bestSharpSetting(work, photo, points, cores) {
  const probe = points.filter((p) => p.format === 'jpeg')[Math.floor(REDUCTIONS.length / 2)]
  const timed = SHARP_SETTINGS.map((setting) => ({
    ...setting,
    rate: runSharp(work, 'sweep', { photo, points: [probe], seconds: 0.3, parallel: cores }, setting).points[0].rate,
  }))
  const best = fastest(timed)
  return { ...best, config: `UV_THREADPOOL_SIZE=${best.threads} concurrency=${best.sharpConcurrency}` }
}

function decoderBound(photo, points, cores, seconds) {
  const args = ['limit', photo, String(cores), String(seconds), ...points.map((p) => `${p.format}:${p.width}`)]
  const lines = execFileSync(benchTool, args, { encoding: 'utf8' }).trim().split('\n')
  return lines.map((line) => {
    const [, rate, scale, decoded] = line.split('\t')
    return { rate: Number(rate), scale, decoded }
  })
}

function report(rows, settings, quick, cores) {
  const date = new Date().toISOString().slice(0, 10)
  const title = `size sweep ${date} · ${cores} cores · sharp ${sharp.versions.sharp}${quick ? ' · --quick' : ''}`
  const table = sweepTable(rows)
  const minimum = rows.reduce((m, r) => (r.ratio < m.ratio ? r : m))
  const summary = `minimum ratio ${minimum.ratio.toFixed(2)}x (${minimum.photo} ${minimum.format} ${minimum.width} px, ${(100 * minimum.ofLimit).toFixed(0)}% of its decoder-bound limit)`
  console.log(`\n${title}\n\n${table}\n${summary}\nsharp settings: ${settings.join('; ')}`)
  const results = path.join(root, 'bench', 'results')
  mkdirSync(results, { recursive: true })
  const name = quick ? 'sweep-quick' : 'sweep'
  writeFileSync(path.join(results, `${name}.md`), `# ${title}\n\n${table}\n${summary}\n\nsharp settings: ${settings.join('; ')}\n`)
  writeFileSync(path.join(results, `${name}.json`), `${JSON.stringify(rows, null, 1)}\n`)
  writeFileSync(path.join(results, `${name}.svg`), sweepChart(rows, title))
  console.log(`wrote bench/results/${name}.{md,json,svg}`)
}
