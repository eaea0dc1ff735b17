// docs/options.md, from the option schema (lib/schema.js): written by
// scripts/from-schema.mjs.
import { createRequire } from 'node:module'
import { defaultInWords } from './defaults.mjs'

const require = createRequire(import.meta.url)
const schema = require('../../lib/schema.js')

const kindText = {
  boolean: () => 'boolean',
  integer: (o) => typeof o.max === 'object'
    ? `integer ${Object.entries(o.max).map(([f, max]) => `${o.min[f] ?? o.min} to ${max} (${f})`).join(', ')}`
    : `integer ${o.min} to ${o.max}`,
  number: (o) => `number ${o.min} to ${o.max}`,
  dimension: () => `integer 1 to ${schema.MAX_DIMENSION}`,
  choice: (o) => o.choices.map((c) => `'${c}'`).join(' \\| '),
  string: () => 'string',
  path: () => 'string',
  format: () => schema.writableFormats.map((f) => `'${f}'`).join(' \\| '),
  position: () => 'string \\| number',
  colour: () => "string \\| { r, g, b, alpha }",
  rotation: () => 'multiple of 90',
  trim: () => 'boolean \\| number from 0 \\| { threshold, background, lineArt, margin }',
  duotone: () => '{ highlight, shadow, opacity? }',
  tiles: () => 'true \\| object',
  operations: () => 'object',
  metadata: () => '{ exif?, replaceExif?, orientation?, density?, keepExif?, xmp?, keepXmp?, srgbProfile? }',
  pixelLimit: () => 'integer \\| boolean',
  remote: () => 'object',
  redisUrl: () => 'string',
  queueName: () => 'string (letters, digits, _ . -; at most 100)',
  input: () => 'string \\| Buffer \\| Uint8Array',
  outputs: () => 'object[]',
  signal: () => 'AbortSignal',
}

const defaultText = (option) => (option.required ? 'required' : (defaultInWords(option) ?? 'none'))

function table(options, prefix = '') {
  const rows = options.map((o) => {
    const names = [o.name, ...(o.aliases ?? [])].map((n) => `\`${prefix}${n}\``).join(', ')
    const formats = o.formats ? o.formats.join(', ') : ''
    return `| ${names} | ${kindText[o.kind](o)} | ${defaultText(o)} | ${formats} | ${o.doc} |`
  })
  return ['| option | type | default | formats | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n')
}

function formatsTable() {
  const rows = schema.formats.map((f) => {
    const names = [f.name, ...f.aliases].map((n) => `\`${n}\``).join(', ')
    const extensions = f.extensions.map((e) => `\`${e}\``).join(' ') || 'none'
    return `| ${names} | ${f.read ? 'yes' : 'no'} | ${f.write ? 'yes' : 'no'} | ${extensions} |`
  })
  return ['| format | read | write | extensions |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

export function optionsDoc() {
  return `# Options

Generated from \`lib/schema.js\` by \`node scripts/from-schema.mjs\`; do not edit by hand.
Every option error is a \`PixelpoolError\` with code \`INVALID_OPTION\` naming the option,
thrown by \`createQueue()\` and rejected by \`queue.process()\`.

## Queue: \`createQueue(options)\`

${table(schema.queue)}

### \`remote\`

${table(schema.remote, 'remote.')}

## Job: \`queue.process(job)\`

${table(schema.job)}

## Output: \`job.outputs[i]\`

Options with formats are encoder settings: giving one to an output of another format is
an error.

${table(schema.output)}

### \`tiles\`

${table(schema.tiles, 'tiles.')}

## Formats

Inputs are recognised by their content; the extensions are what \`pixelpool run\` picks
up in folders and what an output \`path\` implies. \`raw\` input is pixelpool-sharp's
container for \`{ raw }\` and \`{ create }\` inputs.

${formatsTable()}
`
}
