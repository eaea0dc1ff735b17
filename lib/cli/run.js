'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { createQueue } = require('../queue')
const { parseArgs, integerList, usageError } = require('./args')
const { expandInputs } = require('./inputs')
const { Progress } = require('./progress')
const schema = require('../schema')

/** Each output format's file extension: its first in the schema, else its name (raw). */
const extensionOf = Object.fromEntries(
  schema.formats.map((f) => [f.name, f.extensions[0]?.slice(1) ?? f.name]),
)
const OPTIONS = {
  out: 'string', width: 'string', format: 'string', quality: 'string', fit: 'string',
  concurrency: 'string', cache: 'string', remote: 'string', config: 'string', help: 'boolean',
}

const usage = `Usage: pixelpool run <files, folders or globs...> --out DIR [options]

Options:
  --out DIR            where outputs are written (required)
  --width LIST         output widths, e.g. 400,800; never enlarged (default: keep the size)
  --format LIST        ${schema.writableFormats.join(', ')}, e.g. webp,jpeg (default: webp)
  --quality N          1-100 (default 80)
  --fit MODE           cover, contain, fill, inside, outside (default inside)
  --concurrency N      threads (default: all cores)
  --cache DIR          reuse results of earlier runs from this folder
  --remote URL         send the overflow to \`pixelpool worker\`s through this Redis
                       (queue name 'default'; in --config, an object of createQueue's remote options)
  --config FILE        JSON file with any of the options above, e.g. {"width": [400, 800]};
                       flags given on the command line win

Each input gives one output per width and format, named <name>-<width>.<ext>.`

/** Options from --config, then the command line; lists may be arrays or "a,b" strings. */
function settings(options) {
  let fromFile = {}
  if (options.config) {
    try {
      fromFile = JSON.parse(fs.readFileSync(options.config, 'utf8'))
    } catch (error) {
      throw usageError(`cannot read --config ${options.config}: ${error.message}`)
    }
    const unknown = Object.keys(fromFile).find((key) => !OPTIONS[key] || key === 'config' || key === 'help')
    if (unknown) throw usageError(`unknown key '${unknown}' in ${options.config}`)
  }
  const merged = { ...fromFile, ...options }
  const list = (value) => (Array.isArray(value) ? value.join(',') : value)
  const number = (value, name) => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isInteger(n)) throw usageError(`--${name} takes an integer, not '${value}'`)
    return n
  }
  return {
    out: merged.out,
    widths: merged.width === undefined ? [undefined] : integerList(list(merged.width), 'width'),
    formats: String(list(merged.format) ?? 'webp').split(',').map((f) => f.trim()),
    quality: number(merged.quality, 'quality'),
    fit: merged.fit ?? 'inside',
    concurrency: number(merged.concurrency, 'concurrency'),
    cacheDir: merged.cache,
    remote: typeof merged.remote === 'string' ? { url: merged.remote } : merged.remote,
  }
}

function outputsFor(file, { out, widths, formats, quality, fit }) {
  const base = path.parse(file).name
  return widths.flatMap((width) =>
    formats.map((format) => ({
      path: path.join(out, `${base}${width ? `-${width}` : ''}.${extensionOf[schema.formatNames[format]] ?? format}`),
      width,
      format,
      fit,
      withoutEnlargement: true,
      ...(format === 'png' ? {} : { quality }),
    })),
  )
}

function kilobytes(bytes) {
  return `${(bytes / 1024).toFixed(1)} kB`
}

async function run(argv, { stdout = process.stdout, stderr = process.stderr } = {}) {
  const { options, positionals } = parseArgs(argv, OPTIONS)
  if (options.help) {
    stdout.write(`${usage}\n`)
    return 0
  }
  const config = settings(options)
  if (positionals.length === 0) throw usageError(`no input files given\n\n${usage}`)
  if (!config.out) throw usageError(`--out DIR is required\n\n${usage}`)
  const queue = createQueue({ concurrency: config.concurrency, cacheDir: config.cacheDir, remote: config.remote })
  const files = expandInputs(positionals)
  const progress = new Progress(stderr, files.length)
  const started = performance.now()
  const totals = { outputs: 0, bytesIn: 0, bytesOut: 0, cached: 0, remote: 0 }
  const failures = []

  await Promise.all(
    files.map(async (file) => {
      try {
        const result = await queue.process({ input: file, outputs: outputsFor(file, config) })
        totals.bytesIn += fs.statSync(file).size
        totals.cached += result.cached ? 1 : 0
        totals.remote += result.ranOn === 'remote' ? 1 : 0
        for (const output of result.outputs) {
          totals.outputs += 1
          totals.bytesOut += output.size
          stdout.write(`${file} -> ${output.path} ${output.width}x${output.height} ${kilobytes(output.size)}${result.cached ? ' (cached)' : ''}\n`)
        }
        progress.tick(false)
      } catch (error) {
        if (error.code === 'INVALID_OPTION') throw error
        failures.push({ file, error })
        stderr.write(`${file}: failed [${error.code}] ${error.message}\n`)
        progress.tick(true)
      }
    }),
  )
  progress.end()
  await queue.close()
  const seconds = (performance.now() - started) / 1000
  stdout.write(
    `${files.length} inputs, ${totals.outputs} outputs, ${kilobytes(totals.bytesIn)} in, ${kilobytes(totals.bytesOut)} out, ` +
      `${seconds.toFixed(2)} s, ${failures.length} failed${config.cacheDir ? `, ${totals.cached} from cache` : ''}` +
      `${config.remote ? `, ${totals.remote} ran remotely` : ''}\n`,
  )
  if (failures.length > 0) {
    stderr.write(`Failed:\n${failures.map(({ file, error }) => `  ${file} [${error.code}]`).join('\n')}\n`)
    return 1
  }
  return 0
}

module.exports = { run, usage }
