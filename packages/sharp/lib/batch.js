'use strict'

const path = require('node:path')
const { EventEmitter } = require('node:events')
const { describe, sharedQueue, PixelpoolError } = require('pixelpool/internal')
const { jobInput, readInputFile } = require('./input')
const { outputSpec, turnsAnimation } = require('./spec')
const { readExtraInputs, engineInput } = require('./extra-inputs')
const { joinedBytes } = require('./join')

/**
 * Pipelines of one input whose output is asked for in the same turn of the event loop
 * (clones, as gatsby-plugin-sharp, eleventy-img and vite-imagetools make per output) go
 * to the queue as one job with many outputs: one decode for all of them.
 */
let pending = new Map()

/**
 * sharp's `sharp.queue`: 'change' with the number of pipelines waiting to start, emitted
 * when one is asked for and when its job starts, as sharp emits it.
 */
const queueEvents = new EventEmitter()
let waiting = 0

function changeWaiting(by) {
  waiting += by
  queueEvents.emit('change', waiting)
}

/** Resolves to `{ output, input }` of this pipeline's result. */
function requestOutput(options, streamedInput) {
  changeWaiting(1)
  return new Promise((resolve, reject) => {
    const key = inputKey(options.input)
    let batch = pending.get(key)
    if (!batch) {
      batch = { descriptor: options.input, streamedInput, members: [] }
      pending.set(key, batch)
      if (pending.size === 1) setImmediate(flush)
    }
    batch.members.push({ options, resolve, reject })
  })
}

/** Buffers by identity: the same Buffer read with the same settings is one job. */
const bufferIds = new WeakMap()
let nextBufferId = 1

function inputKey(input) {
  const decoding = `${input.failOn}:${input.limitInputPixels}:${input.limitInputChannels}:${input.density}:${input.animated}:${input.page}:${input.pages}:${input.svgStylesheet}:${input.ignoreIcc}`
  if (input.source) return `${input.source}:${decoding}`
  if (input.buffer) {
    if (!bufferIds.has(input.buffer)) bufferIds.set(input.buffer, nextBufferId++)
    return `buffer:${bufferIds.get(input.buffer)}:${decoding}`
  }
  return input.file !== undefined ? `file:${path.resolve(input.file)}:${decoding}` : input
}

function flush() {
  const batches = [...pending.values()]
  pending = new Map()
  for (const batch of batches) {
    batch.members.forEach(() => changeWaiting(-1))
    run(batch).catch((error) => batch.members.forEach((m) => m.reject(error)))
  }
}

/** The header, read when some output's format is the input's or it turns an animation. */
function needsHeader(options) {
  return options.formatOut === 'input' || turnsAnimation(options)
}

async function run(batch) {
  const { descriptor } = batch
  const streamed = batch.streamedInput ? await batch.streamedInput : undefined
  const source = descriptor.join ? { bytes: await joinedBytes(descriptor, engineInput) } : await jobInput(descriptor, streamed)
  let input = source
  let header
  if (descriptor.limitInputChannels !== undefined || batch.members.some((m) => needsHeader(m.options))) {
    const bytes = input.bytes ?? (await readInputFile(input.path))
    input = { bytes }
    header = describe(bytes, { input: descriptor.file })
    if (header.channels > descriptor.limitInputChannels) {
      throw new PixelpoolError('INPUT_TOO_LARGE', 'Input image exceeds channel limit', { input: descriptor.file, option: 'limitInputChannels' })
    }
  }
  const members = []
  const outputs = []
  for (const member of batch.members) {
    try {
      outputs.push(outputSpec(member.options, header, await readExtraInputs(member.options)))
      members.push(member)
    } catch (error) {
      member.reject(error)
    }
  }
  await submit(input, descriptor, members, outputs, source.textAutofitDpi)
}

async function submit(input, descriptor, members, outputs, textAutofitDpi) {
  if (members.length === 0) return
  // sharp takes `pages: 0` at the call; libvips refuses it when reading.
  if (descriptor.pages === 0) throw new PixelpoolError('INVALID_OPTION', 'Invalid pages: 0', { option: 'pages' })
  const deadline = timeoutOf(members)
  try {
    const result = await sharedQueue().process({
      input: input.path ?? input.bytes,
      outputs,
      failOn: descriptor.failOn,
      limitInputPixels: descriptor.limitInputPixels,
      density: descriptor.density,
      animated: descriptor.animated,
      page: descriptor.page,
      pages: descriptor.pages > 1 ? descriptor.pages : 0,
      ignoreIcc: descriptor.ignoreIcc === true,
      signal: deadline,
    })
    members.forEach((member, i) => member.resolve({ output: result.outputs[i], input: result.input, textAutofitDpi }))
  } catch (error) {
    if (deadline?.aborted && error.code === 'ABORTED') throw timedOut(error)
    // One output's own error (an extract outside the image) fails that pipeline only.
    if (error.outputIndex === undefined || members.length === 1) throw error
    members[error.outputIndex].reject(error)
    const rest = (list) => list.filter((_, i) => i !== error.outputIndex)
    await submit(input, descriptor, rest(members), rest(outputs), textAutofitDpi)
  }
}

/**
 * sharp's `timeout({ seconds })`: the job is aborted (an SVG's drawing stops at its next
 * node; other work finishes unseen). Pipelines sharing a job share the shortest timeout.
 */
function timeoutOf(members) {
  const seconds = members.map((m) => m.options.timeoutSeconds).filter((s) => s > 0)
  return seconds.length ? AbortSignal.timeout(Math.min(...seconds) * 1000) : undefined
}

/** sharp's words; pixelpool does not track a job's progress, so it says 0%. */
function timedOut(error) {
  const timeout = new Error('timeout: 0% complete')
  timeout.code = error.code
  timeout.cause = error
  return timeout
}

module.exports = { requestOutput, queueEvents }
