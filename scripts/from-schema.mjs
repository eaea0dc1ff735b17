// Writes what follows from the option schema (lib/schema.js): docs/options.md and the option
// types of index.d.ts. `--check` fails when either committed file differs (the schema test
// makes the same comparison).
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { optionsDoc } from './schema/doc.mjs'
import { BEGIN, END, schemaTypes } from './schema/types.mjs'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
export const docPath = path.join(root, 'docs', 'options.md')
export const typesPath = path.join(root, 'index.d.ts')

/** index.d.ts with its generated block replaced by `schemaTypes()`. */
export function typesFile(current) {
  const start = current.indexOf(BEGIN)
  const end = current.indexOf(END)
  if (start < 0 || end < start) throw new Error('index.d.ts has lost its generated-block markers')
  return current.slice(0, start) + schemaTypes() + current.slice(end + END.length)
}

export function expected() {
  return { [docPath]: optionsDoc(), [typesPath]: typesFile(readFileSync(typesPath, 'utf8')) }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, wanted] of Object.entries(expected())) {
    if (!process.argv.includes('--check')) writeFileSync(file, wanted)
    else if (readFileSync(file, 'utf8') !== wanted) {
      console.error(`${path.relative(root, file)} is stale: run node scripts/from-schema.mjs`)
      process.exitCode = 1
    }
  }
}
