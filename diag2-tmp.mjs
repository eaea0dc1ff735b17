import sharp from 'sharp'
import { writeFileSync } from 'node:fs'
import { score } from './bench/sides.mjs'
import { pixelpoolSharp } from './__test__/sharp/oracle.mjs'
import { createQueue } from './index.mjs'
const photo = process.argv[2]
const q = createQueue()
const variants = {
  sharp: () => sharp(photo).rotate().resize(640).png().toBuffer(),
  sharpNoRotate: () => sharp(photo).resize(640).png().toBuffer(),
  pps: () => pixelpoolSharp(photo).rotate().resize(640).png().toBuffer(),
  ppsNoRotate: () => pixelpoolSharp(photo).resize(640).png().toBuffer(),
  queue: async () => (await q.process({ input: photo, outputs: [{ width: 640, format: 'png' }] })).outputs[0].data,
}
const files = []
for (const [name, make] of Object.entries(variants)) { const f = `/tmp/diag/${name}.png`; writeFileSync(f, await make()); files.push(f) }
const scores = score(photo, files)
Object.keys(variants).forEach((n, i) => console.log(n, scores[i].toFixed(2)))
await q.close()
