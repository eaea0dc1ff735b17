// Inputs sharp reads that plain decoder setups refuse: arithmetic-coded JPEG; JPEG damage
// (stray bytes after a scan, between scans, before the end) decided under every failOn
// exactly as sharp decides; GIFs with short image data or an empty frame, shown as
// libnsgif shows them; a PNG without its IEND chunk. sharp 0.35.5 is the oracle.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import sharp from 'sharp'
import { createQueue } from '../index.mjs'
import pixelpoolSharp from '../packages/sharp/index.js'
import { root } from './helpers.mjs'

const fixture = (name) => path.join(root, 'crates', 'engine', 'tests', 'jpeg', name)
const photo = path.join(root, '..', 'shared', 'corpus', 'photos', 'kodak-kodim23.png')
const failOns = ['none', 'truncated', 'error', 'warning']

const pixels = (input) => sharp(input).raw().toBuffer()

function meanDifference(a, b) {
  assert.equal(a.length, b.length)
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

/** `bytes` with `inserted` put before the `nth` (0 first) marker `code` found after the image header. */
function insertBefore(bytes, code, nth, inserted) {
  let at = 2
  for (let seen = 0; ; at++) {
    at = bytes.indexOf(Buffer.from([0xff, code]), at)
    assert.ok(at > 0, `marker ${code.toString(16)} #${nth}`)
    if (seen++ === nth) break
  }
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(inserted), bytes.subarray(at)])
}

test('arithmetic-coded JPEGs decode to sharp\'s pixels', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  for (const name of ['arithmetic.jpg', 'arithmetic-progressive.jpg']) {
    const { outputs } = await queue.process({ input: fixture(name), outputs: [{ format: 'png', compressionLevel: 1 }] })
    assert.equal(meanDifference(await pixels(outputs[0].data), await pixels(fixture(name))), 0, name)
  }
})

test('stray bytes in a JPEG are accepted or refused under each failOn as sharp decides', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const small = sharp(photo).resize(64, 48)
  const baseline = await small.clone().jpeg().toBuffer()
  const progressive = await small.clone().jpeg({ progressive: true }).toBuffer()
  const damaged = {
    'bytes before the end': insertBefore(baseline, 0xd9, 0, [0x12, 0x34, 0x56]),
    'a restart marker and bytes after the scan': insertBefore(baseline, 0xd9, 0, [0xff, 0xd0, 0, 0]),
    'a comment after the scan': insertBefore(baseline, 0xd9, 0, [0x12, 0xff, 0xfe, 0, 5, 0x61, 0x62, 0x63]),
    'bytes between progressive scans': insertBefore(progressive, 0xda, 1, [0xab, 0xcd, 0xef]),
    'garbage after the end': Buffer.concat([baseline, Buffer.from('garbage')]),
  }
  let refusedByBoth = 0
  for (const [what, input] of Object.entries(damaged)) {
    for (const failOn of failOns) {
      const theirs = await sharp(input, { failOn }).raw().toBuffer().catch(() => null)
      const ours = await queue.process({ input, failOn, outputs: [{ format: 'png', compressionLevel: 1 }] }).catch((error) => error)
      if (theirs === null) {
        assert.equal(ours.code, 'CORRUPT_INPUT', `${what}, failOn ${failOn}: sharp refuses it`)
        refusedByBoth++
        continue
      }
      assert.ok(ours.outputs, `${what}, failOn ${failOn}: sharp reads it (${ours.message})`)
      assert.equal(meanDifference(await pixels(ours.outputs[0].data), theirs), 0, `${what}, failOn ${failOn}`)
    }
  }
  assert.ok(refusedByBoth > 0, 'some damage is refused at failOn warning')
})

/** A GIF's last frame with its image data cut to `keep` bytes, or the GIF with a frame 0 pixels wide first. */
function damagedGif(bytes, keep) {
  const screenEnd = 13 + (bytes[10] & 0x80 ? 3 << ((bytes[10] & 7) + 1) : 0)
  let at = screenEnd
  let descriptor
  while (bytes[at] !== 0x3b) {
    if (bytes[at] === 0x21) at += 2
    else {
      descriptor = at
      at += 10 + (bytes[at + 9] & 0x80 ? 3 << ((bytes[at + 9] & 7) + 1) : 0) + 1
    }
    while (bytes[at] !== 0) at += bytes[at] + 1
    at++
  }
  const dataAt = descriptor + 10 + (bytes[descriptor + 9] & 0x80 ? 3 << ((bytes[descriptor + 9] & 7) + 1) : 0) + 1
  const blocks = []
  for (let i = dataAt; bytes[i] !== 0; i += bytes[i] + 1) blocks.push(bytes.subarray(i + 1, i + 1 + bytes[i]))
  const data = Buffer.concat(blocks).subarray(0, keep ?? Infinity)
  const packed = []
  for (let i = 0; i < data.length; i += 255) packed.push(Buffer.from([Math.min(255, data.length - i)]), data.subarray(i, i + 255))
  const empty = keep === undefined ? [Buffer.from([0x2c, 0, 0, 0, 0, 0, 0, 10, 0, 0, bytes[dataAt - 1], 1, 0, 0])] : []
  return Buffer.concat([bytes.subarray(0, screenEnd), ...empty, bytes.subarray(screenEnd, dataAt), ...packed, Buffer.from([0, 0x3b])])
}

test('GIFs with short image data or an empty frame show what they hold, as in sharp', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const small = sharp(photo).resize(64, 48)
  const opaque = await small.clone().gif().toBuffer()
  const transparent = await small.clone().ensureAlpha(0.5).gif().toBuffer()
  const cases = {
    'an empty frame first': damagedGif(opaque),
    'a third of the data': damagedGif(opaque, Math.floor(opaque.length / 3)),
    'half the data, transparency declared': damagedGif(transparent, Math.floor(transparent.length / 2)),
  }
  for (const [what, input] of Object.entries(cases)) {
    const theirs = await sharp(input).raw().toBuffer({ resolveWithObject: true })
    for (const failOn of failOns) {
      const { outputs } = await queue.process({ input, failOn, outputs: [{ format: 'png', compressionLevel: 1 }] })
      const ours = await sharp(outputs[0].data).raw().toBuffer({ resolveWithObject: true })
      assert.equal(ours.info.channels, theirs.info.channels, `${what}: channels`)
      // The gif crate keeps the pixel of the last code before the cut, libnsgif does not.
      const bound = 4 / (64 * 48)
      assert.ok(meanDifference(ours.data, theirs.data) <= bound * 255, `${what}, failOn ${failOn}`)
    }
  }
})

test('a PNG missing only its IEND chunk is read at every failOn, as in sharp', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const whole = await sharp(photo).resize(64, 48).png().toBuffer()
  const input = whole.subarray(0, whole.length - 12)
  const theirs = await sharp(input).raw().toBuffer()
  for (const failOn of failOns) {
    const { outputs } = await queue.process({ input, failOn, outputs: [{ format: 'png', compressionLevel: 1 }] })
    assert.equal(meanDifference(await pixels(outputs[0].data), theirs), 0, `failOn ${failOn}`)
  }
})

test('a PNG cut inside its image data: refused as sharp refuses it, or at failOn none its rows and a warning', async () => {
  const whole = await sharp(photo).png().toBuffer()
  const input = whole.subarray(0, whole.length >> 1)
  for (const failOn of failOns.filter((f) => f !== 'none')) {
    const theirs = await sharp(input, { failOn }).raw().toBuffer().catch((error) => error)
    const ours = await pixelpoolSharp(input, { failOn }).raw().toBuffer().catch((error) => error)
    assert.equal(ours.code, 'CORRUPT_INPUT', `failOn ${failOn}`)
    assert.equal(ours.message, theirs.message, `failOn ${failOn}`)
  }
  const read = async (s) => {
    const warnings = []
    const data = await s(input, { failOn: 'none' }).on('warning', (w) => warnings.push(w)).raw().toBuffer()
    return { data, warnings }
  }
  const [theirs, ours] = [await read(sharp), await read(pixelpoolSharp)]
  assert.ok(theirs.warnings.includes('not enough data'))
  assert.deepEqual(ours.warnings, ['not enough data'])
  // sharp keeps whole strips of 16 rows; the rows it shows are the photo's, as ours are.
  const row = 768 * 3
  const shown = theirs.data.findLastIndex((v) => v !== 0)
  const rows = Math.floor(shown / row) + 1
  assert.ok(rows > 16, `sharp showed ${rows} rows`)
  assert.equal(Buffer.compare(ours.data.subarray(0, rows * row), theirs.data.subarray(0, rows * row)), 0)
  assert.ok(ours.data.subarray(-row).every((v) => v === 0), 'below the cut is black')
})
