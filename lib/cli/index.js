'use strict'

const { version } = require('../../package.json')
const { run } = require('./run')
const { worker } = require('./worker')
const { gatsby } = require('./gatsby')

const help = `pixelpool ${version}: native image jobs for build tools

Usage:
  pixelpool run <files or folders...> --out DIR [--width 400,800] [--format webp,jpeg] [--quality N]
  pixelpool worker --redis URL [--queue NAME] [--name NAME] [--concurrency N]
  pixelpool gatsby [build] [gatsby options...] [--concurrency N] [--remote URL]
  pixelpool --help | --version

Run \`pixelpool run --help\` for the options of a command.`

const commands = { run, worker, gatsby }

async function main(argv) {
  const [command, ...rest] = argv
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${version}\n`)
    return 0
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${help}\n`)
    return 0
  }
  if (!commands[command]) {
    process.stderr.write(`pixelpool: unknown command '${command}'\n\n${help}\n`)
    return 2
  }
  try {
    return await commands[command](rest)
  } catch (error) {
    const code = error.code && error.code !== 'INVALID_OPTION' ? `[${error.code}] ` : ''
    process.stderr.write(`pixelpool ${command}: ${code}${error.message}\n`)
    return 2
  }
}

module.exports = { main }
