'use strict'

const path = require('node:path')
const { createQueue } = require('../queue')
const { parseArgs, integerList, usageError } = require('./args')
const { expandInputs } = require('./inputs')

const EXTENSIONS = { jpeg: 'jpg', png: 'png', webp: 'webp' }

const usage = `Usage: pixelpool run <files or folders...> --out DIR [options]

Options:
  --out DIR            where outputs are written (required)
  --width LIST         output widths, e.g. 400,800 (default: keep the size)
  --format LIST        jpeg, png, webp, e.g. webp,jpeg (default: webp)
  --quality N          1-100 (default 80)
  --fit MODE           cover, contain, fill, inside, outside (default inside)
  --concurrency N      threads (default: all cores)

Each input gives one output per width and format, named <name>-<width>.<ext>.`

function outputsFor(file, out, widths, formats, quality, fit) {
  const base = path.parse(file).name
  return widths.flatMap((width) =>
    formats.map((format) => ({
      path: path.join(out, `${base}${width ? `-${width}` : ''}.${EXTENSIONS[format] ?? format}`),
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
  const { options, positionals } = parseArgs(argv, {
    out: 'string', width: 'string', format: 'string', quality: 'string', fit: 'string', concurrency: 'string', help: 'boolean',
  })
  if (options.help) {
    stdout.write(`${usage}\n`)
    return 0
  }
  if (positionals.length === 0) throw usageError(`no input files given\n\n${usage}`)
  if (!options.out) throw usageError(`--out DIR is required\n\n${usage}`)
  const widths = options.width ? integerList(options.width, 'width') : [undefined]
  const formats = (options.format ?? 'webp').split(',').map((f) => f.trim())
  const quality = options.quality === undefined ? undefined : Number(options.quality)
  const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency)
  const queue = createQueue({ concurrency })
  const files = expandInputs(positionals)
  const started = performance.now()
  const totals = { outputs: 0, bytesIn: 0, bytesOut: 0 }
  const failures = []

  await Promise.all(
    files.map(async (file) => {
      try {
        const result = await queue.process({ input: file, outputs: outputsFor(file, options.out, widths, formats, quality, options.fit ?? 'inside') })
        totals.bytesIn += require('node:fs').statSync(file).size
        for (const output of result.outputs) {
          totals.outputs += 1
          totals.bytesOut += output.size
          stdout.write(`${file} -> ${output.path} ${output.width}x${output.height} ${kilobytes(output.size)}\n`)
        }
      } catch (error) {
        if (error.code === 'INVALID_OPTION') throw error
        failures.push({ file, error })
        stderr.write(`${file}: failed [${error.code}] ${error.message}\n`)
      }
    }),
  )
  await queue.close()
  const seconds = (performance.now() - started) / 1000
  stdout.write(
    `${files.length} inputs, ${totals.outputs} outputs, ${kilobytes(totals.bytesIn)} in, ${kilobytes(totals.bytesOut)} out, ` +
      `${seconds.toFixed(2)} s, ${failures.length} failed\n`,
  )
  if (failures.length > 0) {
    stderr.write(`Failed:\n${failures.map(({ file, error }) => `  ${file} [${error.code}]`).join('\n')}\n`)
    return 1
  }
  return 0
}

module.exports = { run, usage }
