import sharp from 'sharp'
import { writeFileSync } from 'node:fs'
import { score } from './bench/sides.mjs'
import { pixelpoolSharp } from './__test__/sharp/oracle.mjs'
for (const photo of process.argv.slice(2)) {
  const files = []; const labels = []
  for (const q of [50]) { const b = await sharp(photo).rotate().resize(640).keepIccProfile().avif({ quality: q }).toBuffer(); const f = `/tmp/diag/s${q}.avif`; writeFileSync(f, b); files.push(f); labels.push(`sharp q${q} ${b.length}`) }
  for (const q of [50, 55, 60, 65, 70]) { const b = await pixelpoolSharp(photo).rotate().resize(640).keepIccProfile().avif({ quality: q }).toBuffer(); const f = `/tmp/diag/p${q}.avif`; writeFileSync(f, b); files.push(f); labels.push(`pp q${q} ${b.length}`) }
  const scores = score(photo, files)
  console.log(photo.split('/').pop(), labels.map((l, i) => `${l}B ${scores[i].toFixed(1)}`).join(' | '))
}
