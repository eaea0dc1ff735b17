'use strict'

const { PixelpoolError } = require('../errors')

/**
 * Parses `--name value`, `--name=value` and `--flag` options; everything else is a
 * positional argument. `spec` maps each option name to 'string' or 'boolean'.
 */
function parseArgs(argv, spec) {
  const options = {}
  const positionals = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) {
      positionals.push(arg)
      continue
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2)
    const kind = spec[name]
    if (!kind) throw usageError(`unknown option --${name}`)
    if (kind === 'boolean') {
      options[name] = true
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined) throw usageError(`option --${name} needs a value`)
    options[name] = value
  }
  return { options, positionals }
}

/** "400,800" -> [400, 800]; rejects anything that is not a list of positive integers. */
function integerList(value, name) {
  const items = String(value).split(',').map((item) => Number(item.trim()))
  if (items.some((n) => !Number.isInteger(n) || n <= 0)) throw usageError(`--${name} takes positive integers separated by commas, not '${value}'`)
  return items
}

function usageError(message) {
  return new PixelpoolError('INVALID_OPTION', message)
}

module.exports = { parseArgs, integerList, usageError }
