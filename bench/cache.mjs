// npm run bench:cache: `pixelpool run` over the corpus twice with one cache folder; the
// second (warm) run's time as a fraction of the first (cold) one.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const corpus = path.join(root, '..', 'shared', 'corpus', 'photos')
const work = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-cache-bench-'))
const args = [path.join(root, 'bin', 'pixelpool.js'), 'run', corpus, '--width', '200,400,800,1600', '--format', 'webp,jpeg', '--cache', path.join(work, 'cache')]

function timed(out) {
  const started = performance.now()
  const stdout = execFileSync(process.execPath, [...args, '--out', path.join(work, out)], { encoding: 'utf8', maxBuffer: 1 << 26 })
  return { seconds: (performance.now() - started) / 1000, summary: stdout.trim().split('\n').at(-1) }
}

try {
  const cold = timed('cold')
  const warm = timed('warm')
  console.log(`cold: ${cold.seconds.toFixed(2)} s  (${cold.summary})`)
  console.log(`warm: ${warm.seconds.toFixed(2)} s  (${warm.summary})`)
  console.log(`warm / cold: ${((100 * warm.seconds) / cold.seconds).toFixed(1)}%`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
