// The two workloads, each written the way its side is used in practice. Run inside a
// child process (bench/child.mjs) so each side's peak RSS is its own.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** W1, the shape of sharp's own benchmark: one large JPEG to 720x588 JPEG q80, all jobs in flight. */
export const w1 = {
  async sharp({ sharp, photo, jobs, out }) {
    const input = readFileSync(photo)
    const run = () => sharp(input).resize(720, 588).jpeg({ quality: 80 }).toBuffer()
    await Promise.all(Array.from({ length: 4 }, run)) // warm-up, not timed
    const started = performance.now()
    const buffers = await Promise.all(Array.from({ length: jobs }, run))
    return finish(started, jobs, buffers.map((b) => b.length), { out, sample: buffers[0], name: 'w1.jpg' })
  },
  async pixelpool({ queue, photo, jobs, out }) {
    const input = readFileSync(photo)
    const run = () => queue.process({ input, outputs: [{ width: 720, height: 588, format: 'jpeg', quality: 80 }] })
    await Promise.all(Array.from({ length: 4 }, run))
    const started = performance.now()
    const results = await Promise.all(Array.from({ length: jobs }, run))
    return finish(started, jobs, results.map((r) => r.outputs[0].size), { out, sample: results[0].outputs[0].data, name: 'w1.jpg', results })
  },
}

/**
 * W2, a Gatsby-like build: every photo to widths 200/400/800/1600 (never enlarged), fit
 * cover, JPEG q80 and WebP q80. sharp does it as gatsby-plugin-sharp does: one pipeline
 * per photo, `clone()` per output.
 */
export const w2 = {
  async sharp({ sharp, plan, out }) {
    const started = performance.now()
    const sizes = await Promise.all(
      plan.map(async ({ file, widths }) => {
        const pipeline = sharp(file).rotate()
        const writes = widths.flatMap((width) =>
          ['jpeg', 'webp'].map((format) =>
            pipeline.clone().resize(width, null, { fit: 'cover' })[format]({ quality: 80 })
              .toFile(outputPath(out, file, width, format)).then((info) => info.size),
          ),
        )
        return Promise.all(writes)
      }),
    )
    return finish(started, plan.length, sizes.flat())
  },
  async pixelpool({ queue, plan, out }) {
    const started = performance.now()
    const results = await Promise.all(
      plan.map(({ file, widths }) =>
        queue.process({
          input: file,
          outputs: widths.flatMap((width) =>
            ['jpeg', 'webp'].map((format) => ({ path: outputPath(out, file, width, format), width, fit: 'cover', format, quality: 80 })),
          ),
        }),
      ),
    )
    return finish(started, plan.length, results.flatMap((r) => r.outputs.map((o) => o.size)), { results })
  },
}

export function outputPath(out, file, width, format) {
  return path.join(out, `${path.parse(file).name}-${width}.${format === 'jpeg' ? 'jpg' : format}`)
}

function finish(started, jobs, sizes, { out, sample, name, results } = {}) {
  const seconds = (performance.now() - started) / 1000
  if (sample) {
    mkdirSync(out, { recursive: true })
    writeFileSync(path.join(out, name), sample)
  }
  const profile = results?.[0]?.profile ? sumProfiles(results) : undefined
  const ranRemotely = results?.filter((r) => r.ranOn === 'remote').length ?? 0
  return { jobs, outputs: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0), seconds, profile, ranRemotely }
}

function sumProfiles(results) {
  const total = { read: 0, decode: 0, resize: 0, encode: 0, write: 0 }
  for (const { profile } of results) for (const stage of Object.keys(total)) total[stage] += profile[stage]
  return total
}
