import { readFileSync } from 'node:fs'
import { createQueue } from '../index.mjs'
const input = readFileSync('../shared/corpus/photos/budgie-the-spices-of-life.jpg')
const q = createQueue()
const r = await q.process({ input, outputs: [{ width: 720, height: 588, format: 'jpeg', quality: 80, path: `/tmp/q-pp-${process.env.PPMARGIN}.jpg` }, { width: 720, height: 588, format: 'png', path: `/tmp/q-pp-${process.env.PPMARGIN}.png` }] })
const t = performance.now(); await Promise.all(Array.from({length: 60}, () => q.process({ input, outputs: [{ width: 720, height: 588, format: 'jpeg', quality: 80 }] })))
console.log(process.env.PPMARGIN, (60/((performance.now()-t)/1000)).toFixed(1), 'jobs/s')
