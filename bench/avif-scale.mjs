// npm run bench:avif-scale: what pixelpool's AVIF `quality` means next to sharp's. Ten corpus
// photos at 320, 640 and 1280 wide, sharp (effort 4) at quality 30/50/70/90 and pixelpool
// at quality 15-95; prints, per sharp quality, pixelpool's total bytes against sharp's and
// the mean SSIMULACRA2 difference at each of its qualities. The numbers behind the
// quantizer and speed mappings in crates/engine/src/encode/avif.rs. Usage: [--photos N]
// (the first N of the ten).
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { corpus, root, score } from './sides.mjs'
import { createQueue } from '../index.mjs'

const sharp = createRequire(import.meta.url)('sharp')
sharp.concurrency(1)
execFileSync('cargo', ['build', '--release', '-q', '-p', 'pixelpool-bench'], { cwd: root, stdio: 'inherit' })
const photosAt = process.argv.indexOf('--photos')
const photos = ['budgie-canyon-wren.jpg', 'budgie-the-spices-of-life.jpg', 'kodak-kodim23.png', 'budgie-motherboard-circuits.jpg',
  'budgie-sunset-beach.jpg', 'budgie-taipei-city.jpg', 'budgie-kitten-on-lawn.jpg', 'kodak-kodim05.png', 'golibwebp-kinkaku.webp',
  'exiforient-landscape-6.jpg'].slice(0, photosAt >= 0 ? Number(process.argv[photosAt + 1]) : 10)
const sharpQualities = [30, 50, 70, 90]
const ourQualities = Array.from({ length: 17 }, (_, i) => 15 + 5 * i)
const work = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-avif-scale-'))
const queue = createQueue({ concurrency: 1 })
const totals = new Map()
const add = (key, bytes, quality) => {
  const total = totals.get(key) ?? { bytes: 0, score: 0, count: 0 }
  totals.set(key, { bytes: total.bytes + bytes, score: total.score + quality, count: total.count + 1 })
}
for (const name of photos) {
  for (const width of [320, 640, 1280]) {
    const original = path.join(work, 'original.png')
    await sharp(path.join(corpus, name)).resize(width).png({ compressionLevel: 1 }).toFile(original)
    const encoded = []
    for (const quality of sharpQualities) encoded.push([`sharp ${quality}`, await sharp(original).avif({ quality }).toBuffer()])
    const { outputs } = await queue.process({ input: original, outputs: ourQualities.map((quality) => ({ format: 'avif', quality })) })
    encoded.push(...outputs.map((output, i) => [`pixelpool ${ourQualities[i]}`, output.data]))
    // One scorer run for all of them: the original is read and converted once.
    const files = encoded.map(([, data], i) => {
      const file = path.join(work, `${i}.avif`)
      writeFileSync(file, data)
      return file
    })
    score(original, files).forEach((quality, i) => add(encoded[i][0], encoded[i][1].length, quality))
  }
}
await queue.close()
rmSync(work, { recursive: true, force: true })
console.log(`${photos.length} photos x 3 widths, sharp ${sharp.versions.sharp} (libaom ${sharp.versions.aom}), ${new Date().toISOString().slice(0, 10)}`)
const mean = (t) => t.score / t.count
for (const quality of sharpQualities) {
  const theirs = totals.get(`sharp ${quality}`)
  console.log(`\nsharp quality ${quality}: ${theirs.bytes} bytes, mean SSIMULACRA2 ${mean(theirs).toFixed(2)}`)
  for (const ours of ourQualities) {
    const t = totals.get(`pixelpool ${ours}`)
    const ratio = t.bytes / theirs.bytes
    if (ratio > 0.6 && ratio < 1.6) console.log(`  pixelpool ${ours}: bytes x${ratio.toFixed(3)}, SSIMULACRA2 ${(mean(t) - mean(theirs)).toFixed(2)}`)
  }
}
