'use strict'

const WHITESPACE = [0x20, 0x09, 0x0a, 0x0d]
const LESS_THAN = 0x3c
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * sharp's `svg.stylesheet`: librsvg applies it beneath the document's own rules. Here it
 * becomes the first style element of the SVG's root, so the document's rules (later in
 * the document) still win over it, and its rules over presentation attributes.
 */
function withStylesheet(bytes, css) {
  // SVG is XML text: anything else (a raster the option is given with) is left unread.
  const first = bytes.findIndex((byte) => !WHITESPACE.includes(byte))
  if (bytes[first] !== LESS_THAN && !bytes.subarray(0, 3).equals(UTF8_BOM)) return bytes
  // One character per byte, so offsets are byte offsets and nothing else is re-encoded.
  const text = bytes.toString('latin1')
  const open = rootStart(text)
  const close = open < 0 ? -1 : tagEnd(text, open)
  if (close < 0 || text[close - 1] === '/') return bytes
  const cdata = css.replaceAll(']]>', ']]]]><![CDATA[>')
  const style = Buffer.from(`<style><![CDATA[${cdata}]]></style>`, 'utf8')
  return Buffer.concat([bytes.subarray(0, close + 1), style, bytes.subarray(close + 1)])
}

/** Where the root `<svg` start tag begins: the first outside comments, or -1. */
function rootStart(text) {
  let from = 0
  for (;;) {
    const tag = text.slice(from).search(/<svg[\s>/]/)
    if (tag < 0) return -1
    const at = from + tag
    const comment = text.lastIndexOf('<!--', at)
    if (comment < 0 || text.lastIndexOf('-->', at) > comment) return at
    const end = text.indexOf('-->', at)
    if (end < 0) return -1
    from = end + 3
  }
}

/** The `>` ending the start tag at `start`, past quoted attribute values; -1 if none. */
function tagEnd(text, start) {
  let quote = null
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = null
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '>') {
      return i
    }
  }
  return -1
}

module.exports = { withStylesheet }
