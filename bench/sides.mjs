// Runs one side of one workload in its own child process (bench/child.mjs), so each
// side's peak RSS is its own, and returns the JSON line it prints.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
export const corpus = path.join(root, '..', 'shared', 'corpus', 'photos')
/** The benchmark helpers (scorer, decoder-bound limit): `cargo build --release -p pixelpool-bench`. */
export const benchTool = path.join(root, 'target', 'release', 'pixelpool-bench')
/** sharp's settings worth trying on these cores: libuv threads x sharp's own concurrency. */
export const SHARP_SETTINGS = [2, 4].flatMap((threads) => [1, 2].map((sharpConcurrency) => ({ threads, sharpConcurrency })))

export function runChild(work, side, workload, options, env = {}) {
  const out = path.join(work, `${side}-${workload}-${Object.values(env).join('-')}-${options.sharpConcurrency ?? options.concurrency}`)
  const stdout = execFileSync(process.execPath, [path.join(root, 'bench', 'child.mjs'), side, workload, JSON.stringify({ ...options, out })], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  return { ...JSON.parse(stdout.trim().split('\n').at(-1)), out }
}

export function runSharp(work, workload, options, { threads, sharpConcurrency }) {
  const run = runChild(work, 'sharp', workload, { ...options, sharpConcurrency }, { UV_THREADPOOL_SIZE: String(threads) })
  return { ...run, config: `UV_THREADPOOL_SIZE=${threads} concurrency=${sharpConcurrency}` }
}

/** SSIMULACRA2 of each output against the original. */
export function score(original, outputs) {
  const lines = execFileSync(benchTool, ['score', original, ...outputs], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n')
  return lines.map((line) => Number(line.split('\t')[0]))
}
