'use strict'

const fs = require('node:fs')
const path = require('node:path')

const { formatOfExtension } = require('../schema')

const WILDCARD = /[*?[]/

/** Files as given, images found (recursively) in folders, and matches of globs; sorted per argument. */
function expandInputs(args) {
  return args.flatMap((given) => {
    if (WILDCARD.test(given)) return glob(given)
    let stat
    try {
      stat = fs.statSync(given)
    } catch {
      return [given] // let the job report the missing file, with its code
    }
    return stat.isDirectory() ? walk(given).filter(isImage) : [given]
  })
}

function isImage(file) {
  return Object.hasOwn(formatOfExtension, path.extname(file).toLowerCase())
}

function walk(folder) {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort()
}

/** `*` and `?` within a name, `**` across folders, `[abc]` classes. */
function glob(pattern) {
  const parts = pattern.split('/')
  const fixed = parts.findIndex((part) => WILDCARD.test(part))
  const base = parts.slice(0, fixed).join('/') || (pattern.startsWith('/') ? '/' : '.')
  const matcher = globToRegExp(parts.slice(fixed).join('/'))
  if (!fs.existsSync(base)) return []
  return walk(base).filter((file) => matcher.test(path.relative(base, file).split(path.sep).join('/')))
}

function globToRegExp(pattern) {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*' && pattern[i + 1] === '*') {
      source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += pattern[i + 2] === '/' ? 2 : 1
    } else if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else if (c === '[') {
      const end = pattern.indexOf(']', i)
      source += end > i ? pattern.slice(i, end + 1) : '\\['
      i = end > i ? end : i
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

module.exports = { expandInputs, globToRegExp, isImage }
