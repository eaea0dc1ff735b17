'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { runGatsby } = require('../gatsby/runner')
const { usageError } = require('./args')

const usage = `Usage: pixelpool gatsby [command] [gatsby options...] [--concurrency N] [--remote URL]

Runs the Gatsby site in this folder (its own gatsby, default command: build) and does its
image jobs (gatsby-plugin-sharp's IMAGE_PROCESSING) natively. Other jobs stay with Gatsby.

Options (the rest go to gatsby):
  --concurrency N      image threads (default: all cores)
  --remote URL         send the overflow to \`pixelpool worker\`s through this Redis

The "pixelpool" key of the site's package.json may hold the same options, e.g.
{ "pixelpool": { "concurrency": 4, "remote": { "url": "redis://build-box:6379" } } };
flags win. Exits with Gatsby's exit code.`

/** Splits our flags from Gatsby's. */
function splitArgs(argv) {
  const ours = {}
  const theirs = []
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    if (flag === '--concurrency' || flag === '--remote') {
      const value = inline ?? argv[++i]
      if (value === undefined) throw usageError(`option ${flag} needs a value`)
      ours[flag.slice(2)] = value
    } else theirs.push(argv[i])
  }
  return { ours, theirs }
}

function siteOptions(site) {
  try {
    return JSON.parse(fs.readFileSync(path.join(site, 'package.json'), 'utf8')).pixelpool ?? {}
  } catch {
    return {}
  }
}

async function gatsby(argv) {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  const site = process.cwd()
  const { ours, theirs } = splitArgs(argv)
  const fromSite = siteOptions(site)
  const concurrency = ours.concurrency === undefined ? fromSite.concurrency : Number(ours.concurrency)
  const remoteFlag = ours.remote === undefined ? undefined : { url: ours.remote }
  const queueOptions = { ...fromSite, concurrency, remote: remoteFlag ?? fromSite.remote }
  const gatsbyArgs = theirs.length === 0 || theirs[0].startsWith('-') ? ['build', ...theirs] : theirs
  return runGatsby({ site, gatsbyArgs, queueOptions })
}

module.exports = { gatsby, usage }
