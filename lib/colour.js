'use strict'

const named = {
  black: [0, 0, 0, 1],
  white: [255, 255, 255, 1],
  transparent: [0, 0, 0, 0],
  red: [255, 0, 0, 1],
  green: [0, 128, 0, 1],
  blue: [0, 0, 255, 1],
}

/**
 * Parses sharp-style colours: '#rgb', '#rrggbb', '#rrggbbaa', 'rgb(r, g, b)', 'rgba(r, g, b, a)', a few names, or
 * { r, g, b, alpha } with alpha 0-1. Returns [r, g, b, a] with a in 0-255, or null.
 */
function parseColour(value) {
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase()
    if (named[lower]) return toBytes(named[lower])
    const css = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(lower)
    if (css) return parseColour({ r: Number(css[1]), g: Number(css[2]), b: Number(css[3]), alpha: css[4] === undefined ? 1 : Number(css[4]) })
    const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(lower)
    if (!hex) return null
    let digits = hex[1]
    if (digits.length === 3) digits = [...digits].map((d) => d + d).join('')
    const bytes = digits.match(/../g).map((pair) => parseInt(pair, 16))
    return bytes.length === 4 ? bytes : [...bytes, 255]
  }
  if (value && typeof value === 'object') {
    const { r, g, b, alpha = 1 } = value
    const channels = [r, g, b]
    if (!channels.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) return null
    if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) return null
    return toBytes([r, g, b, alpha])
  }
  return null
}

function toBytes([r, g, b, alpha]) {
  return [r, g, b, Math.round(alpha * 255)]
}

module.exports = { parseColour }
