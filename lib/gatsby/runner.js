'use strict'

const { fork } = require('node:child_process')
const fs = require('node:fs')
const { createRequire } = require('node:module')
const path = require('node:path')
const { createQueue } = require('../queue')
const { gatsbyJobToJob, NotServed } = require('./mapping')

/** The site's own Gatsby CLI script, as its `gatsby` bin names it. */
function gatsbyCli(site) {
  const requireFromSite = createRequire(path.join(site, 'package.json'))
  let manifest
  try {
    manifest = requireFromSite.resolve('gatsby/package.json')
  } catch {
    throw new Error(`no gatsby package found from ${site}: run this in a Gatsby site folder after npm install`)
  }
  const { bin } = JSON.parse(fs.readFileSync(manifest, 'utf8'))
  const script = typeof bin === 'string' ? bin : bin?.gatsby
  if (!script) throw new Error(`${manifest} names no gatsby bin`)
  return path.join(path.dirname(manifest), script)
}

/**
 * Serves a Gatsby child's external jobs from `queue` until it exits. Every JOB_CREATED
 * gets exactly one answer. Resolves to `{ code, counts }`: the child's exit code and how
 * many jobs were done, failed, or left to Gatsby.
 */
function serveGatsby(child, queue, { log = () => {} } = {}) {
  const counts = { done: 0, failed: 0, leftToGatsby: 0 }
  const replyKinds = { JOB_COMPLETED: 'done', JOB_FAILED: 'failed', JOB_NOT_WHITELISTED: 'leftToGatsby' }
  const reply = (message) => {
    counts[replyKinds[message.type]]++
    if (child.connected) child.send(message)
  }
  const answer = async ({ id, ...payload }) => {
    let job
    try {
      job = gatsbyJobToJob(payload)
    } catch (error) {
      if (error instanceof NotServed) return reply({ type: 'JOB_NOT_WHITELISTED', payload: { id } })
      log(`pixelpool: ${payload.inputPaths?.[0]?.path} failed: ${error.message}`)
      return reply({ type: 'JOB_FAILED', payload: { id, error: `${payload.inputPaths?.[0]?.path}: ${error.message}` } })
    }
    // Lazy jobs are done on demand by Gatsby's dev server; gatsby-plugin-sharp skips them too.
    if (payload.args?.isLazy) return reply({ type: 'JOB_COMPLETED', payload: { id, result: {} } })
    try {
      await queue.process(job)
      reply({ type: 'JOB_COMPLETED', payload: { id, result: {} } })
    } catch (error) {
      const operations = payload.args.operations.map((o) => o.outputPath).join(', ')
      log(`pixelpool: ${job.input} -> ${operations} failed [${error.code}] ${error.message}`)
      reply({ type: 'JOB_FAILED', payload: { id, error: `${job.input} -> ${operations}: [${error.code}] ${error.message}` } })
    }
  }
  child.on('message', (message) => {
    if (message?.type === 'JOB_CREATED') answer(message.payload ?? {})
  })
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code: code ?? 128 + (signal === 'SIGINT' ? 2 : 15), counts }))
  })
}

/**
 * `pixelpool gatsby [command] [gatsby args...]`: runs the site's Gatsby with external jobs
 * sent here. Queue options come from `--concurrency N` / `--remote URL`, else from the
 * `pixelpool` key of the site's package.json.
 */
async function runGatsby({ site, gatsbyArgs, queueOptions, stderr = process.stderr }) {
  const queue = createQueue(queueOptions)
  const child = fork(gatsbyCli(site), gatsbyArgs, {
    cwd: site,
    env: { ...process.env, ENABLE_GATSBY_EXTERNAL_JOBS: 'true' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  })
  const forward = (signal) => child.kill(signal)
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  try {
    const log = (line) => stderr.write(`${line}\n`)
    const { code, counts } = await serveGatsby(child, queue, { log })
    log(`pixelpool: ${counts.done} image jobs done, ${counts.failed} failed, ${counts.leftToGatsby} left to Gatsby`)
    return code
  } finally {
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
    await queue.close()
  }
}

module.exports = { runGatsby, serveGatsby, gatsbyCli }
