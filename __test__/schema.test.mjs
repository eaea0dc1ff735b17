// The option schema (lib/schema.js) is the one source of options, formats and codes; these
// tests fail when a copy elsewhere drifts from it.
import test from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import sharp from 'sharp'
import { root, scratch } from './helpers.mjs'
import { expected } from '../scripts/from-schema.mjs'

const require = createRequire(import.meta.url)
const schema = require('../lib/schema.js')
const native = require('../lib/native.js')
const { codes } = require('../lib/errors.js')
const { isImage } = require('../lib/cli/inputs.js')
const { gatsbyJobToJob } = require('../lib/gatsby/mapping.js')
const { run } = require('../lib/cli/run.js')
const { createQueue } = require('../index.js')

test('docs/options.md and the option types of index.d.ts are what the schema generates', () => {
  for (const [file, wanted] of Object.entries(expected())) {
    assert.equal(readFileSync(file, 'utf8'), wanted, `${path.relative(root, file)}: run node scripts/from-schema.mjs`)
  }
})

test('the schema knows exactly the formats the engine does, read and write alike', () => {
  const fromEngine = native.formats().map(({ name, read, write }) => ({ name, read, write }))
  const fromSchema = schema.formats.map(({ name, read, write }) => ({ name, read, write }))
  assert.deepEqual(fromSchema, fromEngine)
})

test("every format the engine decodes from a file is picked up by the CLI's folder scan", () => {
  for (const format of native.formats().filter((f) => f.read && f.name !== 'raw')) {
    const { extensions } = schema.formats.find((f) => f.name === format.name)
    assert.ok(extensions.length > 0, `${format.name} has an extension`)
    for (const extension of extensions) {
      assert.ok(isImage(`photos/a${extension}`), extension)
      assert.ok(isImage(`photos/A${extension.toUpperCase()}`), extension.toUpperCase())
    }
  }
  assert.equal(isImage('notes.txt'), false)
})

test('the JS list of error codes is the native one', () => {
  assert.deepEqual([...codes], native.errorCodes())
})

test('Gatsby and the CLI accept every format the schema writes', async (t) => {
  for (const name of Object.keys(schema.formatNames)) {
    const job = gatsbyJobToJob({
      name: 'IMAGE_PROCESSING',
      inputPaths: [{ path: 'a.jpg' }],
      outputDir: 'out',
      args: { operations: [{ outputPath: `a.${name}`, args: { toFormat: name, width: 10 } }] },
    })
    assert.equal(job.outputs[0].format, schema.formatNames[name])
  }
  const dir = scratch(t)
  const input = path.join(dir, 'in.png')
  writeFileSync(input, await sharp({ create: { width: 20, height: 10, channels: 3, background: '#a37' } }).png().toBuffer())
  const out = path.join(dir, 'out')
  const sink = { write() {} }
  const status = await run([input, '--out', out, '--width', '8', '--format', schema.writableFormats.join(',')], { stdout: sink, stderr: sink })
  assert.equal(status, 0)
  assert.equal(readdirSync(out).length, schema.writableFormats.length)
})

/** Values at the edges of what the schema allows for `option` on `format`. */
function edgeValues(option, format) {
  switch (option.kind) {
    case 'boolean':
      return [true, false]
    case 'integer': {
      const max = typeof option.max === 'object' ? option.max[format] : option.max
      const min = typeof option.min === 'object' ? option.min[format] : option.min
      return [min, max]
    }
    case 'number':
      return [option.min, (option.min + option.max) / 2, option.max]
    case 'choice':
      return option.choices
    default:
      return []
  }
}

// A value JS accepts must also pass the native conversion (the serde shape of OutputSpec):
// every encoder setting at both ends of its range, every choice, on every format it applies to.
test('every value the schema accepts passes the native conversion', async (t) => {
  const queue = createQueue({ concurrency: 2 })
  t.after(() => queue.close())
  const input = await sharp({ create: { width: 12, height: 8, channels: 4, background: '#3a7' } }).png().toBuffer()
  const outputs = []
  // Values that hold only with others, as in libvips: CCITT group 4 codes 1-bit grey.
  const needs = { ccittfax4: { bitdepth: 1, grayscale: true, operations: { alpha: 'remove' } } }
  for (const format of schema.writableFormats) {
    outputs.push({ format, width: 6 })
    for (const option of schema.output) {
      if (option.formats && !option.formats.includes(format)) continue
      if (format === 'png' && option.name === 'quality') continue // needs palette, below
      for (const value of edgeValues(option, format)) outputs.push({ format, width: 6, [option.name]: value, ...needs[value] })
    }
  }
  outputs.push({ format: 'png', palette: true, quality: 1 }, { format: 'png', quality: 100 })
  outputs.push({ format: 'png', position: 'right top', fit: 'contain', width: 6, height: 6, background: { r: 1, g: 2, b: 3, alpha: 0.5 } })
  outputs.push({ format: 'png', trim: { threshold: 255 } }, { format: 'png', rotate: -270 })
  outputs.push({ format: 'jpeg', duotone: { highlight: '#fff', shadow: '#000', opacity: 100 } })
  for (let i = 0; i < outputs.length; i += 8) {
    const chunk = outputs.slice(i, i + 8)
    const result = await queue.process({ input, outputs: chunk, priority: -(2 ** 31), failOn: 'none' })
    assert.equal(result.outputs.length, chunk.length, JSON.stringify(chunk))
  }
})
