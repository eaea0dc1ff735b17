'use strict'

const color = require('@img/colour')

/**
 * Parses a colour as sharp does, with the parser sharp uses (`@img/colour`, the `color`
 * package): any CSS colour string (names, '#rgb[a]', '#rrggbb[aa]', rgb(), hsl(), ...) of 3
 * to 200 characters, or an object such as { r, g, b, alpha } with alpha 0-1.
 * Returns [r, g, b, a] with a in 0-255, or null.
 */
function parseColour(value) {
  const accepted = (value !== null && typeof value === 'object') || (typeof value === 'string' && value.length >= 3 && value.length <= 200)
  if (!accepted) return null
  try {
    const parsed = color(value)
    return [parsed.red(), parsed.green(), parsed.blue(), parsed.alpha() * 255].map(Math.round)
  } catch {
    return null
  }
}

module.exports = { parseColour }
