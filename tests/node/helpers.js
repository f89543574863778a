'use strict'
// Shared by the Node tests.
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..', '..')
const SECRET = 'node-tests-secret-key'

/** The header of a real PNG, enough for image_info. */
function png (width, height) {
  const b = Buffer.alloc(33)
  Buffer.from('\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR', 'latin1').copy(b)
  b.writeUInt32BE(width, 16)
  b.writeUInt32BE(height, 20)
  b[24] = 8
  b[25] = 2
  return b
}

/** The shared signature vectors when beside the repository, else our copy. */
function vectors () {
  const shared = path.join(ROOT, '..', 'shared', 'vectors', 'signatures.json')
  const file = fs.existsSync(shared) ? shared : path.join(ROOT, 'tests', 'vectors', 'signatures.json')
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

module.exports = { ROOT, SECRET, png, vectors }
