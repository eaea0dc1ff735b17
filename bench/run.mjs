// npm run bench [-- --quick] [--only fixed|sweep]: pixelpool against sharp, side by side,
// in one run.
// Each side runs in its own child process, at its best settings on this machine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { outputPath } from './workloads.mjs'
import { w2Plan } from './plan.mjs'
import { corpus, root, runChild, runSharp, score, SHARP_SETTINGS } from './sides.mjs'
import { runSweep } from './sweep.mjs'

const quick = process.argv.includes('--quick')
// `--only fixed` runs W1 and W2, `--only sweep` the size sweep; both by default.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null
const selected = (workload) => !only || only.includes(workload)
// Baseline 4:2:0 and no ICC profile: sharp's own benchmark shape, where both sides do the
// same work (no profile conversion for either side to skip).
const W1_PHOTO = path.join(corpus, 'budgie-the-spices-of-life.jpg')
const cores = os.availableParallelism()
const work = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-bench-'))

/** sharp at each of the settings worth trying here; the fastest is its result. */
function bestSharp(workload, options) {
  const tried = SHARP_SETTINGS.map((setting) => runSharp(work, workload, options, setting))
  return tried.sort((a, b) => a.seconds - b.seconds)
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`

function w2Scores(run, plan) {
  const sample = plan.filter((_, i) => i % (quick ? 3 : 4) === 0)
  return mean(sample.flatMap(({ file, widths }) => score(file, widths.flatMap((w) => ['jpeg', 'webp'].map((f) => outputPath(run.out, file, w, f))))))
}

function row(name, side, run, unit, quality) {
  const rate = (unit === 'jobs' ? run.jobs : run.outputs) / run.seconds
  return { name, side, config: run.config, rate, unit, rss: run.peakRss, bytes: run.bytes, quality }
}

function table(rows) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const lines = [
    `pixelpool ${new Date().toISOString().slice(0, 10)} · ${cores} cores · ${cpu} · Node ${process.version} · sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})${quick ? ' · --quick' : ''}`,
    '',
    '| workload | side | settings | throughput | peak RSS | output bytes | SSIMULACRA2 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (let i = 0; i < rows.length; i += 2) {
    const [s, p] = [rows[i], rows[i + 1]]
    for (const r of [s, p]) {
      lines.push(`| ${r.name} | ${r.side} | ${r.config} | ${r.rate.toFixed(1)} ${r.unit}/s | ${mb(r.rss)} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.quality.toFixed(2)} |`)
    }
    lines.push(
      `| ${s.name} | **pixelpool / sharp** | | **${(p.rate / s.rate).toFixed(2)}x** | ${(p.rss / s.rss).toFixed(2)}x | ${(p.bytes / s.bytes).toFixed(3)}x | ${(p.quality - s.quality).toFixed(2)} |`,
    )
  }
  return lines
}

function profileLine(name, profile) {
  if (!profile) return []
  const total = Object.values(profile).reduce((a, b) => a + b, 0)
  const parts = Object.entries(profile).map(([stage, ms]) => `${stage} ${((100 * ms) / total).toFixed(0)}%`)
  return [`profile ${name} (thread time ${(total / 1000).toFixed(2)} s): ${parts.join(', ')}`]
}

/** Prints the report and keeps it in bench/results/fixed.md (fixed-quick.md for --quick). */
function report(lines) {
  const text = lines.join('\n')
  console.log(`\n${text}`)
  const results = path.join(root, 'bench', 'results')
  mkdirSync(results, { recursive: true })
  const name = quick ? 'fixed-quick.md' : 'fixed.md'
  writeFileSync(path.join(results, name), `${text}\n`)
  console.log(`wrote bench/results/${name}`)
}

try {
  if (selected('fixed')) await runFixedWorkloads()
  if (selected('sweep')) await runSweep({ quick, work, cores })
} finally {
  rmSync(work, { recursive: true, force: true })
}

async function runFixedWorkloads() {
  const rows = []
  const w1Jobs = quick ? 100 : 300
  const w1Sharp = bestSharp('w1', { photo: W1_PHOTO, jobs: w1Jobs })
  const w1Pixelpool = { ...runChild(work, 'pixelpool', 'w1', { photo: W1_PHOTO, jobs: w1Jobs, concurrency: cores }), config: `concurrency=${cores}` }
  const w1Quality = (run) => score(W1_PHOTO, [path.join(run.out, 'w1.jpg')])[0]
  rows.push(row('W1', 'sharp', w1Sharp[0], 'jobs', w1Quality(w1Sharp[0])), row('W1', 'pixelpool', w1Pixelpool, 'jobs', w1Quality(w1Pixelpool)))

  const plan = await w2Plan(corpus, quick)
  const w2Sharp = bestSharp('w2', { plan })
  const w2Pixelpool = { ...runChild(work, 'pixelpool', 'w2', { plan, concurrency: cores }), config: `concurrency=${cores}` }
  rows.push(row('W2', 'sharp', w2Sharp[0], 'outputs', w2Scores(w2Sharp[0], plan)), row('W2', 'pixelpool', w2Pixelpool, 'outputs', w2Scores(w2Pixelpool, plan)))

  const tried = (runs) => runs.map((r) => `${r.config} ${r.seconds.toFixed(2)}`).join('; ')
  report([
    ...table(rows),
    '',
    `sharp settings tried (seconds): W1 ${tried(w1Sharp)}; W2 ${tried(w2Sharp)}`,
    `W1: ${w1Jobs} jobs of ${path.basename(W1_PHOTO)}; W2: ${plan.length} photos, ${w2Pixelpool.outputs} outputs`,
    ...profileLine('W1', w1Pixelpool.profile),
    ...profileLine('W2', w2Pixelpool.profile),
  ])
}
