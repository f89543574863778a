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

const HOSTILE = process.env.UCARE_HOSTILE || path.join(ROOT, 'target', 'debug', 'ucare-hostile')

/**
 * Starts `ucare-hostile` (tests/hostile) for test `t`: its root URL, its HTTPS server with
 * the CA's PEM file, and its proxy. It exits when its stdin closes, after the test.
 */
async function hostile (t) {
  const { spawn } = require('node:child_process')
  const readline = require('node:readline')
  const child = spawn(HOSTILE, [], { stdio: ['pipe', 'pipe', 'inherit'] })
  t.after(() => child.stdin.end())
  const lines = []
  for await (const line of readline.createInterface({ input: child.stdout })) {
    lines.push(line.trim())
    if (lines.length === 3) break
  }
  const [, tls, ca] = lines[1].split(' ')
  return { root: lines[0], tls, ca, proxy: lines[2].split(' ')[1] }
}

/** How many requests a hostile mode has had. */
async function count (root, mode) {
  return Number(await (await fetch(`${root}__count/${mode}`)).text())
}

module.exports = { ROOT, SECRET, png, vectors, hostile, count }
