import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import path from 'node:path'
import { createQueue } from '../index.mjs'
import { photo, scratch, filesIn, rejectsWith, assertImage } from './helpers.mjs'

/** A valid 1x1 PNG whose header is rewritten to claim `width` x `height`. */
function pngClaiming(width, height) {
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ffff3f0005fe02fea7d6a4e30000000049454e44ae426082',
    'hex',
  )
  png.writeUInt32BE(width, 16)
  png.writeUInt32BE(height, 20)
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29)
  return png
}

function badInputs(dir) {
  const write = (name, bytes) => {
    const file = path.join(dir, name)
    writeFileSync(file, bytes)
    return file
  }
  const jpeg = readFileSync(photo('budgie-canyon-wren.jpg'))
  const png = Buffer.from(readFileSync(photo('kodak-kodim05.png')))
  png[png.indexOf('IDAT') + 100] ^= 0xff
  mkdirSync(path.join(dir, 'a-folder.jpg'))
  let seed = 7
  const random = Buffer.alloc(4096, 0).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff)
  return [
    ['zero bytes', write('empty.jpg', Buffer.alloc(0)), 'UNSUPPORTED_FORMAT', /empty/],
    ['random bytes', write('noise.jpg', random), 'UNSUPPORTED_FORMAT', /not a supported image/],
    ['JPEG truncated after 10 KB', write('cut.jpg', jpeg.subarray(0, 10 * 1024)), 'CORRUPT_INPUT', /truncated/],
    ['PNG with a broken CRC', write('crc.png', png), 'CORRUPT_INPUT', /CRC|checksum|invalid/i],
    ['nonexistent path', path.join(dir, 'nope.jpg'), 'IO_ERROR', /no such file/],
    ['a directory', path.join(dir, 'a-folder.jpg'), 'IO_ERROR', /directory/],
    ['a header claiming 65536x65536', write('huge.png', pngClaiming(65536, 65536)), 'INPUT_TOO_LARGE', /65536x65536.*limitInputPixels/],
  ]
}

test('bad inputs reject with their code, name the file, write nothing, and the queue keeps working', async (t) => {
  const dir = scratch(t)
  const out = path.join(dir, 'out')
  const queue = createQueue({ concurrency: 2 })
  for (const [what, input, code, pattern] of badInputs(dir)) {
    const error = await rejectsWith(
      queue.process({ input, outputs: [{ path: path.join(out, `${path.basename(input)}.webp`), width: 100 }] }),
      code,
      pattern,
    )
    assert.ok(error.message.includes(input), `${what}: message names the file: ${error.message}`)
    assert.equal(error.input, input, `${what}: error.input`)
    assert.equal(typeof error.jobId, 'number')
  }
  assert.deepEqual(filesIn(dir).filter((f) => f.startsWith('out')), [], 'no output written')
  const good = await queue.process({ input: photo('kodak-kodim13.png'), outputs: [{ path: path.join(out, 'ok.webp'), width: 100 }] })
  await assertImage(good.outputs[0].path, { format: 'webp', width: 100 })
  await queue.close()
})

test('failOn none accepts a truncated JPEG', async () => {
  const queue = createQueue()
  const jpeg = readFileSync(photo('budgie-canyon-wren.jpg'))
  const half = jpeg.subarray(0, jpeg.length / 2)
  await rejectsWith(queue.process({ input: half, outputs: [{ width: 64, format: 'png' }] }), 'CORRUPT_INPUT', /input buffer/)
  const { outputs } = await queue.process({ input: half, failOn: 'none', outputs: [{ width: 64, format: 'png' }] })
  assert.equal(outputs[0].width, 64)
  await queue.close()
})

test('limitInputPixels is configurable', async () => {
  const queue = createQueue({ limitInputPixels: 1000 })
  await rejectsWith(queue.process({ input: photo('kodak-kodim20.png'), outputs: [{ format: 'png' }] }), 'INPUT_TOO_LARGE', /above limitInputPixels \(1000\)/)
  await queue.close()
})

test('an output folder that cannot be created rejects with IO_ERROR and writes nothing', async (t) => {
  const dir = scratch(t)
  const blocker = path.join(dir, 'file')
  writeFileSync(blocker, 'not a folder')
  const queue = createQueue()
  const error = await rejectsWith(
    queue.process({
      input: photo('kodak-kodim01.png'),
      outputs: [{ path: path.join(dir, 'fine.webp'), width: 50 }, { path: path.join(blocker, 'sub', 'x.webp'), width: 50 }],
    }),
    'IO_ERROR',
    /outputs\[1\]\.path/,
  )
  assert.equal(error.outputIndex, 1)
  assert.deepEqual(filesIn(dir), ['file'], 'the first output is not left behind either')
  await queue.close()
})

const optionCases = [
  [{ width: 0 }, 'Expected positive integer up to 65500 for outputs[0].width but received 0 of type number'],
  [{ width: -3 }, 'Expected positive integer up to 65500 for outputs[0].width but received -3 of type number'],
  [{ width: NaN }, 'Expected positive integer up to 65500 for outputs[0].width but received NaN of type number'],
  [{ width: 1e9 }, 'Expected positive integer up to 65500 for outputs[0].width but received 1000000000 of type number'],
  [{ height: '10' }, "Expected positive integer up to 65500 for outputs[0].height but received 10 of type string"],
  [{ format: 'bmp' }, "Expected one of jpeg, png, webp, gif, avif, tiff, raw for outputs[0].format but received bmp of type string"],
  [{ quality: 0 }, 'Expected integer between 1 and 100 for outputs[0].quality but received 0 of type number'],
  [{ quality: 101 }, 'Expected integer between 1 and 100 for outputs[0].quality but received 101 of type number'],
  [{ fit: 'squash' }, "Expected one of cover, contain, fill, inside, outside for outputs[0].fit but received squash of type string"],
  [{ position: 'up' }, "Expected a gravity (centre, north, northeast, ... northwest) or strategy (entropy, attention) for outputs[0].position but received up of type string"],
  [{ background: '#12' }, "Expected colour ('#rrggbb' or { r, g, b, alpha }) for outputs[0].background but received #12 of type string"],
  [{ rotate: 45 }, 'Expected multiple of 90 for outputs[0].rotate but received 45 of type number'],
  [{ flip: 'yes' }, "Expected boolean for outputs[0].flip but received yes of type string"],
  [{ widht: 5 }, 'Expected no such option (unknown or not supported yet) for outputs[0].widht but received 5 of type number'],
  [{ effort: 3, format: 'jpeg' }, 'Expected undefined for jpeg output (it applies to webp, avif and gif) for outputs[0].effort but received 3 of type number'],
  [{ effort: 7 }, 'Expected integer between 0 and 6 for outputs[0].effort but received 7 of type number'],
  [{ effort: 10, format: 'avif' }, 'Expected integer between 0 and 9 for outputs[0].effort but received 10 of type number'],
  [{ palette: true }, 'Expected undefined for webp output (it applies to png) for outputs[0].palette but received true of type boolean'],
  [{ quality: 50, palette: false, format: 'png' }, 'Expected undefined for png output without a palette for outputs[0].quality but received 50 of type number'],
  [{ trim: -1 }, 'Expected true, or a threshold: number from 0 for outputs[0].trim but received -1 of type number'],
  [{ trim: { margin: 0.5 } }, 'Expected integer between 0 and 10000000 for outputs[0].trim.margin but received 0.5 of type number'],
  [{ duotone: '#fff' }, "Expected object { highlight, shadow, opacity? } for outputs[0].duotone but received #fff of type string"],
  [{ duotone: { highlight: 'reddish', shadow: '#000' } }, "Expected colour ('#rrggbb') for outputs[0].duotone.highlight but received reddish of type string"],
  [{ duotone: { highlight: '#fff', shadow: '#000', opacity: 0 } }, 'Expected integer between 1 and 100 for outputs[0].duotone.opacity but received 0 of type number'],
]

test('each invalid output option rejects before any work, with one sentence shape', async (t) => {
  const dir = scratch(t)
  const queue = createQueue()
  for (const [option, message] of optionCases) {
    const output = { format: 'webp', path: path.join(dir, 'never.webp'), ...option }
    const error = await rejectsWith(queue.process({ input: photo('kodak-kodim01.png'), outputs: [output] }), 'INVALID_OPTION')
    assert.equal(error.message, message)
  }
  assert.deepEqual(filesIn(dir), [])
  assert.equal(queue.stats().completed + queue.stats().failed, 0, 'nothing reached the pool')
  await queue.close()
})

test('invalid job and queue options', async () => {
  const queue = createQueue()
  await rejectsWith(queue.process({ input: 42, outputs: [{ format: 'png' }] }), 'INVALID_OPTION', /for input but received 42 of type number/)
  await rejectsWith(queue.process({ input: 'x.png', outputs: [] }), 'INVALID_OPTION', /non-empty array .* for outputs/)
  await rejectsWith(queue.process({ input: 'x.png', outputs: [{ path: 'a.jxl' }] }), 'INVALID_OPTION', /outputs\[0\]\.format/)
  await rejectsWith(queue.process({ input: 'x.png', outputs: [{ format: 'png' }], priority: 1.5 }), 'INVALID_OPTION', /priority/)
  await rejectsWith(queue.process({ input: 'x.png', outputs: [{ format: 'png' }], failOn: 'never' }), 'INVALID_OPTION', /failOn/)
  assert.throws(() => createQueue({ concurrency: 0 }), { code: 'INVALID_OPTION', message: 'Expected integer between 1 and 1024 for concurrency but received 0 of type number' })
  assert.throws(() => createQueue({ maxQueue: -1 }), { code: 'INVALID_OPTION' })
  assert.throws(() => createQueue({ limitInputPixels: -5 }), { code: 'INVALID_OPTION' })
  assert.throws(() => createQueue({ remote: { url: 'localhost:6379' } }), { code: 'INVALID_OPTION', message: /^Expected Redis URL .* for remote\.url but received localhost:6379/ })
  await queue.close()
})

test("errors carry the caller's stack", async () => {
  const queue = createQueue()
  const error = await rejectsWith(queue.process({ input: 'does-not-exist.jpg', outputs: [{ format: 'png' }] }), 'IO_ERROR')
  assert.match(error.stack, /^PixelpoolError \[IO_ERROR\]: input does-not-exist\.jpg/)
  assert.match(error.stack, /errors\.test\.mjs/)
  try {
    createQueue({ concurrency: 'two' })
    assert.fail('should throw')
  } catch (thrown) {
    assert.match(thrown.stack, /errors\.test\.mjs/)
  }
  await queue.close()
})

test('a value the native conversion refuses rejects, never throws from process()', async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const input = photo('kodak-kodim08.png')
  let promise
  assert.doesNotThrow(() => {
    promise = queue.process({ input, outputs: [{ format: 'png', operations: { blur: { gaussian: { sigma: 'wide' } } } }] })
  })
  const error = await rejectsWith(promise, 'INVALID_OPTION')
  assert.match(error.message, /^Invalid outputs\[0\]\.operations\.blur\.gaussian\.sigma: invalid type/)
  assert.equal(error.outputIndex, 0)
  const unknown = await rejectsWith(queue.process({ input, outputs: [{ format: 'png', operations: { sparkle: true } }] }), 'INVALID_OPTION')
  assert.match(unknown.message, /sparkle/)
  const fine = await queue.process({ input, outputs: [{ format: 'png', width: 40, operations: { negate: { alpha: false } } }] })
  assert.equal(fine.outputs[0].width, 40)
})

test("an engine operation's own error (an extract outside the image) rejects as INVALID_OPTION for that output", async (t) => {
  const queue = createQueue({ concurrency: 1 })
  t.after(() => queue.close())
  const error = await rejectsWith(queue.process({
    input: photo('kodak-kodim08.png'),
    outputs: [{ format: 'png', width: 10 }, { format: 'png', operations: { extractBefore: { left: 700, top: 0, width: 100, height: 10 } } }],
  }), 'INVALID_OPTION')
  assert.equal(error.outputIndex, 1)
  assert.match(error.message, /not inside the 768x512 image/)
})
