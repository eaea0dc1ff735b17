// A stand-in for a site's Gatsby CLI, started by `pixelpool gatsby` the way Gatsby is:
// forked with an IPC channel. It sends the messages of a recorded scenario (JOB_CREATED and
// LOG_ACTION, as Gatsby 5 does), waits for one answer per job, writes what it saw to
// fake-gatsby-report.json in the site folder, and exits with FAKE_GATSBY_EXIT.
'use strict'

const fs = require('node:fs')
const path = require('node:path')

const scenario = JSON.parse(fs.readFileSync(process.env.FAKE_GATSBY_SCENARIO, 'utf8'))
const report = {
  argv: process.argv.slice(2),
  externalJobs: process.env.ENABLE_GATSBY_EXTERNAL_JOBS,
  connected: Boolean(process.send),
  replies: [],
}
const pending = new Set(scenario.filter((m) => m.type === 'JOB_CREATED').map((m) => m.payload.id))

function finish(code) {
  fs.writeFileSync(path.join(process.cwd(), 'fake-gatsby-report.json'), JSON.stringify(report, null, 2))
  process.exit(code)
}

process.stdout.write('fake gatsby: building\n')
process.on('SIGTERM', () => {
  report.signal = 'SIGTERM'
  finish(143)
})
process.on('message', (message) => {
  report.replies.push(message)
  pending.delete(message.payload?.id)
  // Keep listening a little after the last answer, to catch any duplicate.
  if (pending.size === 0) setTimeout(() => finish(Number(process.env.FAKE_GATSBY_EXIT ?? 0)), 300)
})
for (const message of scenario) process.send(message)
if (pending.size === 0 && process.env.FAKE_GATSBY_HANG !== '1') finish(Number(process.env.FAKE_GATSBY_EXIT ?? 0))
// Gatsby has no timeout; neither does this, but the test does.
setInterval(() => {}, 1000)
