'use strict'
// Runs in the Node under test (any platform): `node probe.cjs JOBS.json RESULT.json`, with
// `pixelpool` resolvable from the working folder. Each job runs through createQueue(); the
// result file holds, per job, its result or its error's code and message. It writes a file
// rather than printing: Node under wine cannot write to a pipe.
const { readFileSync, writeFileSync } = require('node:fs')
const { createQueue } = require('pixelpool')

async function main() {
  const [jobsFile, resultFile] = process.argv.slice(2)
  const jobs = JSON.parse(readFileSync(jobsFile, 'utf8'))
  const queue = createQueue({ concurrency: 2 })
  const settled = await Promise.allSettled(jobs.map((job) => queue.process(job)))
  await queue.close()
  const results = settled.map((s) =>
    s.status === 'fulfilled'
      ? { outputs: s.value.outputs.map(({ path, format, width, height }) => ({ path, format, width, height })) }
      : { error: { code: s.reason.code, message: s.reason.message } },
  )
  writeFileSync(resultFile, JSON.stringify({ platform: `${process.platform}-${process.arch}`, node: process.version, results }, null, 2))
}

main().catch((error) => {
  writeFileSync(process.argv[3], JSON.stringify({ crashed: String(error?.stack ?? error) }))
  process.exitCode = 1
})
