// The size sweep, one side, one photo: each point is the photo resized by width only to
// one format at q80, as many jobs in flight as there are cores to keep busy. Run inside a
// child process (bench/child.mjs) so each side's peak RSS is its own.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { outputPath } from './workloads.mjs'

const WARM_UP_JOBS = 1
const MIN_JOBS = 4

export const sweep = {
  sharp: ({ sharp, ...options }) =>
    measureAll(options, (input, { width, format }) =>
      sharp(input).resize(width)[format]({ quality: 80 }).toBuffer().then((data) => ({ data }))),
  pixelpool: ({ queue, ...options }) =>
    measureAll(options, async (input, { width, format }) => {
      const result = await queue.process({ input, outputs: [{ width, format, quality: 80 }] })
      return { data: result.outputs[0].data, profile: result.profile }
    }),
}

async function measureAll({ photo, points, seconds, parallel, out }, run) {
  const input = readFileSync(photo)
  mkdirSync(out, { recursive: true })
  const measured = []
  for (const point of points) measured.push(await measure(input, point, seconds, parallel, out, photo, run))
  return { points: measured }
}

/**
 * Times one point: a warm-up estimates a job's cost, then enough jobs to fill `seconds`
 * of wall time on `parallel` cores run all at once.
 */
async function measure(input, point, seconds, parallel, out, photo, run) {
  const warmStarted = performance.now()
  for (let i = 0; i < WARM_UP_JOBS; i++) await run(input, point)
  const perJob = (performance.now() - warmStarted) / 1000 / WARM_UP_JOBS
  const jobs = Math.max(MIN_JOBS, Math.round((seconds * parallel) / perJob))
  // Each job's output is dropped as it arrives, as a build writes and forgets it: kept
  // until the point ends, the faster side's larger job count would count against its RSS.
  let sample
  const started = performance.now()
  const profiles = await Promise.all(
    Array.from({ length: jobs }, () =>
      run(input, point).then(({ data, profile }) => {
        sample ??= data
        return profile
      }),
    ),
  )
  const elapsed = (performance.now() - started) / 1000
  writeFileSync(outputPath(out, photo, point.width, point.format), sample)
  return { ...point, jobs, rate: jobs / elapsed, bytes: sample.length, profile: sumProfiles(profiles) }
}

function sumProfiles(profiles) {
  if (!profiles[0]) return undefined
  const total = { decode: 0, resize: 0, encode: 0 }
  for (const profile of profiles) for (const stage of Object.keys(total)) total[stage] += profile[stage]
  return total
}
