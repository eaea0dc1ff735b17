// The jobs every platform's addon runs in test:cross, and the comparison of its outputs with
// the native build's: JPEG, PNG, WebP and AVIF inputs (and an EXIF-rotated JPEG) to JPEG,
// WebP, AVIF and PNG outputs, plus a JPEG whose Huffman table is bogus (libjpeg's fatal
// error, reported by unwinding through C) that must fail with CORRUPT_INPUT and leave the
// queue working.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { root } from './recipes.mjs'

const photos = path.join(root, '..', 'shared', 'corpus', 'photos')
const FORMATS = ['jpeg', 'webp', 'avif', 'png']
const WIDTH = 200
// Mean absolute difference per channel (0-255) allowed between a platform's output and the
// native one: float rounding differs by CPU and SIMD path, a wrong decode or resize does not.
export const PIXEL_BOUND = 1.5
// libaom's encoder is not bit-exact across SIMD paths (its float models prune partitions
// differently), so two platforms' AVIFs of one image are two valid encodings, up to 3.5
// apart at quality 50 (arm64, 2026-12-02). Each is compared with the native lossless PNG
// of the same job instead: the platform's AVIF may be at most this much further from it
// than the native AVIF is.
export const AVIF_EXTRA_BOUND = 0.5

/** A copy of a JPEG whose first Huffman table claims more than 256 codes. */
function bogusHuffman(bytes) {
  const copy = Buffer.from(bytes)
  const dht = copy.indexOf(Buffer.from([0xff, 0xc4]))
  if (dht < 0) throw new Error('no DHT marker')
  // marker (2), length (2), class/id (1), then 16 code counts.
  copy.fill(0xff, dht + 5, dht + 21)
  return copy
}

/** Writes the inputs (one AVIF made by `makeAvif`) into `dir`; returns their paths by name. */
export async function prepareInputs(dir, makeAvif) {
  mkdirSync(dir, { recursive: true })
  const inputs = {
    jpeg: path.join(photos, 'budgie-canyon-wren.jpg'),
    rotated: path.join(photos, 'exiforient-portrait-8.jpg'),
    png: path.join(photos, 'kodak-kodim23.png'),
    webp: path.join(photos, 'golibwebp-kinkaku.webp'),
    avif: path.join(dir, 'kodim05.avif'),
    corrupt: path.join(dir, 'bogus-huffman.jpg'),
  }
  await makeAvif(path.join(photos, 'kodak-kodim05.png'), inputs.avif)
  writeFileSync(inputs.corrupt, bogusHuffman(readFileSync(inputs.jpeg)))
  return inputs
}

/** The job list for outputs under `outDir`, in a JSON file there; returns the file. */
export function writeJobs(inputs, outDir) {
  mkdirSync(outDir, { recursive: true })
  const jobs = Object.entries(inputs).map(([name, input]) => ({
    input,
    outputs: FORMATS.map((format) => ({ path: path.join(outDir, `${name}.${format}`), width: WIDTH, format })),
  }))
  // After the failure: the queue still serves.
  jobs.push({ input: inputs.png, outputs: [{ path: path.join(outDir, 'after-failure.webp'), width: 64, format: 'webp' }] })
  const file = path.join(outDir, 'jobs.json')
  writeFileSync(file, JSON.stringify(jobs, null, 2))
  return file
}

async function pixels(file) {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** Mean absolute difference per channel between two images of one size. */
async function meanDifference(fileA, fileB) {
  const [a, b] = await Promise.all([pixels(fileA), pixels(fileB)])
  let sum = 0
  for (let k = 0; k < a.data.length; k++) sum += Math.abs(a.data[k] - b.data[k])
  return sum / a.data.length
}

/**
 * Compares a platform's results with the native ones; returns { problems, rows }, a row per
 * output compared: `{ label, avif, difference }`, the difference being the mean from the
 * native output, or for AVIF how much further from the native PNG than the native AVIF.
 */
export async function compareResults(native, tested, inputs) {
  if (tested.crashed) return { problems: [`the probe crashed: ${tested.crashed}`], rows: [] }
  const problems = []
  const rows = []
  const corrupt = tested.results[Object.keys(inputs).indexOf('corrupt')]
  if (corrupt?.error?.code !== 'CORRUPT_INPUT') problems.push(`the bogus JPEG gave ${JSON.stringify(corrupt)}, not CORRUPT_INPUT`)
  for (const [i, expected] of native.results.entries()) {
    const got = tested.results[i]
    if (expected.error || got.error) {
      if (expected.error?.code !== got.error?.code) problems.push(`job ${i}: expected ${expected.error?.code ?? 'success'}, got ${got.error?.code ?? 'success'} (${got.error?.message ?? ''})`)
      continue
    }
    for (const [j, want] of expected.outputs.entries()) {
      const have = got.outputs[j]
      const label = path.basename(have.path)
      if (have.width !== want.width || have.height !== want.height || have.format !== want.format) {
        problems.push(`${label}: ${have.format} ${have.width}x${have.height}, native ${want.format} ${want.width}x${want.height}`)
        continue
      }
      if (want.format === 'avif') {
        const reference = expected.outputs.find((o) => o.format === 'png').path
        const [theirs, ours] = await Promise.all([meanDifference(reference, want.path), meanDifference(reference, have.path)])
        const extra = ours - theirs
        rows.push({ label, avif: true, difference: Math.max(extra, 0) })
        if (!(extra <= AVIF_EXTRA_BOUND)) problems.push(`${label}: ${ours.toFixed(3)} from the native PNG, the native AVIF ${theirs.toFixed(3)} (more than ${AVIF_EXTRA_BOUND} further)`)
        continue
      }
      const mean = await meanDifference(want.path, have.path)
      rows.push({ label, avif: false, difference: mean })
      if (!(mean <= PIXEL_BOUND)) problems.push(`${label}: mean pixel difference ${mean.toFixed(3)} > ${PIXEL_BOUND}`)
    }
  }
  return { problems, rows }
}
