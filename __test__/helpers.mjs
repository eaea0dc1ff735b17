import { mkdtempSync, rmSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import sharp from 'sharp'

const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.join(here, '..')
export const corpusDir = path.join(root, '..', 'shared', 'corpus', 'photos')
export const photo = (name) => path.join(corpusDir, name)

/**
 * A 3840x2560 JPEG to two files in `dir`: long enough a job that a batch of them outlasts
 * a fault (the remote tests).
 */
export const bigJob = (dir, id) => ({
  input: photo('budgie-the-spices-of-life.jpg'),
  outputs: [
    { path: path.join(dir, `${id}.webp`), width: 320, format: 'webp' },
    { path: path.join(dir, `${id}.jpg`), width: 160, format: 'jpeg' },
  ],
})

/** A fresh temporary folder, removed when the test ends. */
export function scratch(t) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pixelpool-test-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export function filesIn(dir) {
  return readdirSync(dir, { recursive: true })
}

/**
 * Decodes an output with sharp (an independent decoder) and checks its format and size,
 * and that it is not a blank image.
 */
export async function assertImage(input, { format, width, height }) {
  const image = sharp(input)
  const meta = await image.metadata()
  assert.equal(meta.format, format, 'format')
  if (width !== undefined) assert.equal(meta.width, width, 'width')
  if (height !== undefined) assert.equal(meta.height, height, 'height')
  const { channels } = await image.stats()
  const spread = Math.max(...channels.slice(0, 3).map((c) => c.stdev))
  assert.ok(spread > 2, `image looks blank (channel stdev ${spread})`)
  return meta
}

/** Asserts that `promise` rejects with `code`, and returns the error. */
export async function rejectsWith(promise, code, messagePattern) {
  let caught
  await assert.rejects(promise, (error) => {
    caught = error
    return true
  })
  assert.equal(caught.code, code, `code of: ${caught.message}`)
  if (messagePattern) assert.match(caught.message, messagePattern)
  return caught
}
