import { writeFileSync } from 'node:fs'
import { score } from './bench/sides.mjs'
import { createQueue } from './index.mjs'
import sharp from 'sharp'
const q = createQueue({ concurrency: 1 })
sharp.concurrency(1)
const names = ['budgie-canyon-wren.jpg', 'kodak-kodim05.png', 'budgie-casa-mila.jpg', 'budgie-noche-bogota.jpg']
const totals = {}
for (const name of names) {
  const photo = `../shared/corpus/photos/${name}`
  const base = await sharp(photo).rotate().resize(1280).png().toBuffer()
  const files = []; const labels = []
  let t = process.cpuUsage(); const sb = await sharp(base).avif().toBuffer(); let u = process.cpuUsage(t)
  writeFileSync('/tmp/diag/sa.avif', sb); files.push('/tmp/diag/sa.avif'); labels.push(['sharp', sb.length, (u.user + u.system) / 1000])
  for (const effort of [4, 3, 2, 1, 0]) {
    const r = await q.process({ input: base, outputs: [{ format: 'avif', effort }] })
    const f = `/tmp/diag/e${effort}.avif`; writeFileSync(f, r.outputs[0].data); files.push(f); labels.push([`e${effort}`, r.outputs[0].size, r.ms])
  }
  const scores = score(photo, files)
  console.log(name, labels.map((l, i) => `${l[0]} ${l[1]}B ${l[2].toFixed(0)}ms ${scores[i].toFixed(1)}`).join(' | '))
  labels.forEach((l, i) => { totals[l[0]] ??= [0, 0, 0]; totals[l[0]][0] += l[1]; totals[l[0]][1] += l[2]; totals[l[0]][2] += scores[i] / names.length })
}
console.log(Object.entries(totals).map(([k, [b, ms, s]]) => `${k}: ${b}B ${ms.toFixed(0)}ms ${s.toFixed(2)}`).join('\n'))
await q.close()
