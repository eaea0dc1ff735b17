import sharp from 'sharp'
import { pixelpoolSharp } from './__test__/sharp/oracle.mjs'
const photo = '../shared/corpus/photos/budgie-canyon-wren.jpg'
sharp.concurrency(1); pixelpoolSharp.concurrency(1)
for (const fmt of ['jpeg', 'webp', 'avif']) {
  for (const [name, s] of [['sharp', sharp], ['pp', pixelpoolSharp]]) {
    await s(photo).resize(1280).toFormat(fmt).toBuffer()
    const t = process.cpuUsage(); const w = Date.now()
    for (let i = 0; i < 3; i++) await s(photo).resize(1280).toFormat(fmt).toBuffer()
    const u = process.cpuUsage(t)
    console.log(fmt, name, ((u.user + u.system) / 3000).toFixed(0), 'ms cpu', ((Date.now() - w) / 3).toFixed(0), 'ms wall')
  }
}
