'use strict'

/**
 * libvips' band formats (sharp's raw `depth` names) and the typed arrays that hold them.
 * pixelpool's pipeline is 8-bit: raw input of another depth is made 8-bit as libvips makes
 * it so for output (16-bit unsigned is RGB16/GREY16, scaled down by 256; the others are
 * cast, clipped to 0-255), and raw output of another depth is the 8-bit samples cast.
 */
const arrays = {
  char: Int8Array,
  uchar: Uint8Array,
  short: Int16Array,
  ushort: Uint16Array,
  int: Int32Array,
  uint: Uint32Array,
  float: Float32Array,
  double: Float64Array,
}

/** The depth of a raw input's typed array (a Buffer and Uint8ClampedArray are 'uchar'). */
function depthOfArray(input) {
  if (Buffer.isBuffer(input) || input instanceof Uint8ClampedArray) return 'uchar'
  return Object.keys(arrays).find((depth) => input.constructor === arrays[depth]) ?? 'uchar'
}

/** Samples of `depth` in `bytes` as 8-bit samples. */
function toEightBit(bytes, depth) {
  if (depth === 'uchar') return bytes
  const Type = arrays[depth]
  const samples = new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
  const eight = Buffer.alloc(samples.length)
  for (let i = 0; i < samples.length; i++) {
    const value = depth === 'ushort' ? samples[i] >> 8 : Math.round(samples[i])
    eight[i] = Math.min(255, Math.max(0, value || 0))
  }
  return eight
}

/** 8-bit samples cast to `depth` (clipped to its range, as libvips casts), as its bytes. */
function fromEightBit(bytes, depth) {
  if (depth === 'uchar') return bytes
  const samples = depth === 'char' ? Int8Array.from(bytes, (v) => Math.min(v, 127)) : arrays[depth].from(bytes)
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)
}

const bytesPerSample = (depth) => arrays[depth].BYTES_PER_ELEMENT

module.exports = { depths: Object.keys(arrays), depthOfArray, toEightBit, fromEightBit, bytesPerSample }
