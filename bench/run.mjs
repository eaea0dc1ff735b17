// npm run bench [-- --quick] [--only fixed|sweep]: pixelpool against sharp, side by side,
// in one run.
// Each side runs in its own child process, at its best settings on this machine.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { outputPath } from './workloads.mjs'
import { w2Plan } from './plan.mjs'
import { corpus, runChild, runSharp, score, SHARP_SETTINGS } from './sides.mjs'
import { runSweep } from './sweep.mjs'

const quick = process.argv.includes('--quick')
// `--only fixed` runs W1 and W2, `--only sweep` the size sweep; both by default.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null
const selected = (workload) => !only || only.includes(workload)
// Baseline 4:2:0 and no ICC profile: pixelpool does not convert colour profiles yet and
// sharp always does, so a tagged photo would flatter pixelpool.
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

function printTable(rows) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  console.log(`\npixelpool ${new Date().toISOString().slice(0, 10)} · ${cores} cores · ${cpu} · Node ${process.version} · sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})${quick ? ' · --quick' : ''}\n`)
  console.log('| workload | side | settings | throughput | peak RSS | output bytes | SSIMULACRA2 |')
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (let i = 0; i < rows.length; i += 2) {
    const [s, p] = [rows[i], rows[i + 1]]
    for (const r of [s, p]) {
      console.log(`| ${r.name} | ${r.side} | ${r.config} | ${r.rate.toFixed(1)} ${r.unit}/s | ${mb(r.rss)} | ${(r.bytes / 1024).toFixed(0)} KiB | ${r.quality.toFixed(2)} |`)
    }
    console.log(
      `| ${s.name} | **pixelpool / sharp** | | **${(p.rate / s.rate).toFixed(2)}x** | ${(p.rss / s.rss).toFixed(2)}x | ${(p.bytes / s.bytes).toFixed(3)}x | ${(p.quality - s.quality).toFixed(2)} |`,
    )
  }
}

function printProfile(name, profile) {
  if (!profile) return
  const total = Object.values(profile).reduce((a, b) => a + b, 0)
  const parts = Object.entries(profile).map(([stage, ms]) => `${stage} ${((100 * ms) / total).toFixed(0)}%`)
  console.log(`profile ${name} (thread time ${(total / 1000).toFixed(2)} s): ${parts.join(', ')}`)
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

  printTable(rows)
  console.log(`\nsharp settings tried (seconds): W1 ${w1Sharp.map((r) => `${r.config} ${r.seconds.toFixed(2)}`).join('; ')}`)
  console.log(`                                W2 ${w2Sharp.map((r) => `${r.config} ${r.seconds.toFixed(2)}`).join('; ')}`)
  console.log(`W1: ${w1Jobs} jobs of ${path.basename(W1_PHOTO)}; W2: ${plan.length} photos, ${w2Pixelpool.outputs} outputs`)
  printProfile('W1', w1Pixelpool.profile)
  printProfile('W2', w2Pixelpool.profile)
}
