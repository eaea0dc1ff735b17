'use strict'

const fs = require('node:fs')
const path = require('node:path')

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif'])

/** Files as given, and the images found (recursively, sorted) in folders. */
function expandInputs(paths) {
  const files = []
  for (const given of paths) {
    let stat
    try {
      stat = fs.statSync(given)
    } catch {
      files.push(given) // let the job report the missing file, with its code
      continue
    }
    if (stat.isDirectory()) files.push(...imagesIn(given))
    else files.push(given)
  }
  return files
}

function imagesIn(folder) {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort()
}

module.exports = { expandInputs }
