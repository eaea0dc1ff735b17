import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { globToRegExp } = require('../lib/cli/inputs.js')

test('glob patterns match like a shell with globstar', () => {
  const cases = [
    ['*.jpg', 'a.jpg', true],
    ['*.jpg', 'sub/a.jpg', false],
    ['**/*.jpg', 'a.jpg', true],
    ['**/*.jpg', 'deep/er/a.jpg', true],
    ['photo-?.png', 'photo-1.png', true],
    ['photo-?.png', 'photo-10.png', false],
    ['[ab]*.webp', 'b1.webp', true],
    ['[ab]*.webp', 'c1.webp', false],
    ['a.b+c(d).jpg', 'a.b+c(d).jpg', true],
  ]
  for (const [pattern, file, expected] of cases) assert.equal(globToRegExp(pattern).test(file), expected, `${pattern} ~ ${file}`)
})
