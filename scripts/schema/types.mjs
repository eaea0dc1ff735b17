// The option types of index.d.ts, from the option schema (lib/schema.js) and the native
// error codes: written between the markers by scripts/from-schema.mjs.
import { createRequire } from 'node:module'
import { defaultInWords } from './defaults.mjs'

const require = createRequire(import.meta.url)
const schema = require('../../lib/schema.js')
const { errorCodes } = require('../../lib/native.js')

export const BEGIN = '// ---- generated from lib/schema.js by `node scripts/from-schema.mjs`; do not edit ----'
export const END = '// ---- end of generated types ----'

const literal = (value) => (typeof value === 'number' ? String(value) : `'${value}'`)
const union = (values) => values.map(literal).join(' | ')

const kindType = {
  boolean: () => 'boolean',
  integer: () => 'number',
  dimension: () => 'number',
  number: () => 'number',
  choice: (o) => union(o.choices),
  string: () => 'string',
  path: () => 'string',
  format: () => 'OutputFormatName',
  position: () => 'Position',
  colour: () => 'Colour',
  rotation: () => 'number',
  trim: () => 'boolean | number | { threshold?: number; background?: Colour; lineArt?: boolean; margin?: number }',
  duotone: () => '{ highlight: string; shadow: string; opacity?: number }',
  tiles: () => 'boolean | TileOptions',
  operations: () => 'Record<string, unknown>',
  metadata: () => '{ exif?: Record<string, Record<string, string>>; replaceExif?: boolean; orientation?: number; density?: number; keepExif?: boolean; xmp?: string; keepXmp?: boolean; srgbProfile?: boolean }',
  pixelLimit: () => 'number | boolean',
  remote: () => 'RemoteOptions',
  redisUrl: () => 'string',
  queueName: () => 'string',
  input: () => 'string | Buffer | Uint8Array',
  outputs: () => 'OutputOptions[]',
  signal: () => 'AbortSignal',
}

function member(option, name = option.name) {
  const tag = defaultInWords(option)
  const formats = option.formats ? ` Applies to ${option.formats.join(', ')}.` : ''
  const doc = [`   * ${option.doc}${formats}`, ...(tag === undefined ? [] : [`   * @default ${tag}`])]
  const optional = option.required ? '' : '?'
  return ['  /**', ...doc, '   */', `  ${name}${optional}: ${kindType[option.kind](option)}`]
}

function declare(name, about, options) {
  const members = options.flatMap((option) => [
    ...member(option),
    ...(option.aliases ?? []).flatMap((alias) => [`  /** Alias of \`${option.name}\`. */`, `  ${alias}?: ${kindType[option.kind](option)}`]),
  ])
  return [`/** ${about} */`, `export interface ${name} {`, ...members, '}']
}

export function schemaTypes() {
  const positions = [...schema.gravities, ...schema.strategies, ...Object.keys(schema.positionAliases).map((k) => (/^\d+$/.test(k) ? Number(k) : k))]
  return [
    BEGIN,
    '',
    '/** Stable codes carried by every error pixelpool rejects or throws with (crates/queue/src/error.rs). */',
    `export type ErrorCode = ${union(errorCodes())}`,
    '',
    '/** Formats pixelpool reads (recognised by content). */',
    `export type InputFormat = ${union(schema.formats.filter((f) => f.read).map((f) => f.name))}`,
    '/** Formats pixelpool writes. */',
    `export type OutputFormat = ${union(schema.writableFormats)}`,
    '/** Output format names, aliases included. */',
    `export type OutputFormatName = ${union(Object.keys(schema.formatNames))}`,
    `export type Fit = ${union(schema.fits)}`,
    "/** A gravity, a strategy, sharp's CSS-like aliases or its `gravity`/`strategy` numbers. */",
    `export type Position = ${union(positions)}`,
    '',
    ...declare('QueueOptions', 'Options of `createQueue()`.', schema.queue),
    '',
    ...declare('RemoteOptions', 'Overflow to remote `pixelpool worker` processes through Redis Streams.', schema.remote),
    '',
    ...declare('Job', 'One job: one decode of `input`, every output from it.', schema.job),
    '',
    ...declare('OutputOptions', 'One output of a job, with sharp\'s names and defaults.', schema.output),
    '',
    ...declare('TileOptions', "An output's tile pyramid, sharp's `tile()`.", schema.tiles),
    '',
    END,
  ].join('\n')
}
