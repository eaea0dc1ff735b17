import sharp from 'sharp'
import { writeFileSync, mkdirSync } from 'node:fs'
import { score } from './bench/sides.mjs'
import { pixelpoolSharp } from './__test__/sharp/oracle.mjs'
const photo = process.argv[2]
mkdirSync('/tmp/diag', { recursive: true })
for (const fmt of ['avif', 'webp', 'jpeg', 'png']) {
  const files = []
  for (const [name, s] of [['sharp', sharp], ['pp', pixelpoolSharp]]) {
    const buf = await s(photo).rotate().resize(640).keepIccProfile().toFormat(fmt).toBuffer()
    const f = `/tmp/diag/${name}.${fmt}`; writeFileSync(f, buf); files.push([name, f, buf.length])
  }
  const scores = score(photo, files.map((f) => f[1]))
  console.log(fmt, files.map((f, i) => `${f[0]} ${f[2]} B ${scores[i].toFixed(2)}`).join(' | '))
}
