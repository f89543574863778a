'use strict'
// ucare/testing runs the emulator program (the ucare-emulator package): found through
// UCARE_EMULATOR or the package, refused with a clear error when missing or misconfigured,
// and never left running.
const test = require('node:test')
const assert = require('node:assert/strict')
const net = require('node:net')
const { execFileSync } = require('node:child_process')
const ucare = require('ucare')
const { Emulator, EmulatorNotFoundError, emulatorBinary } = require('ucare/testing')

function serving (baseUrl) {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => { socket.destroy(); resolve(true) })
    socket.on('error', () => resolve(false))
  })
}

test('a missing program is named with what to install', async (t) => {
  const saved = process.env.UCARE_EMULATOR
  t.after(() => { process.env.UCARE_EMULATOR = saved })
  process.env.UCARE_EMULATOR = '/nonexistent/ucare-emulator'
  await assert.rejects(Emulator.start(), (e) => e instanceof EmulatorNotFoundError && /UCARE_EMULATOR/.test(e.message))
  delete process.env.UCARE_EMULATOR
  // This checkout has no ucare-emulator package installed: the error says what to install.
  assert.throws(() => emulatorBinary(), (e) => e instanceof EmulatorNotFoundError && /npm install -D ucare-emulator/.test(e.message))
})

test('bad options are invalid input, before or from the program', async () => {
  await assert.rejects(Emulator.start({ faultRate: 2 }), (e) => e instanceof ucare.InvalidInputError && /faultRate/.test(e.message))
  await assert.rejects(Emulator.start({ seedFiles: -1 }), (e) => e instanceof ucare.InvalidInputError && /seedFiles/.test(e.message))
  await assert.rejects(Emulator.start({ faults: ['boom'] }), (e) => e instanceof ucare.InvalidInputError && /faults/.test(e.message))
})

test('stop ends the program; a stopped emulator says so', async () => {
  const emu = await Emulator.start({ secretKey: 'not-on-the-command-line' })
  assert.equal(await serving(emu.baseUrl), true)
  assert.equal((await emu.client().project()).name, 'demo')
  await emu.stop()
  assert.equal(await serving(emu.baseUrl), false)
  assert.throws(() => emu.stats, (e) => e instanceof ucare.InvalidInputError && /stopped/.test(e.message))
  await emu.stop() // twice is fine
})

test('a killed test process leaves no emulator behind', async () => {
  const script = "require('ucare/testing').Emulator.start().then((e) => { console.log(e.baseUrl); process.kill(process.pid, 'SIGKILL') })"
  let baseUrl
  try {
    execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: __dirname })
  } catch (error) {
    assert.equal(error.signal, 'SIGKILL')
    baseUrl = error.stdout.trim()
  }
  assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/)
  const deadline = Date.now() + 10000
  while (await serving(baseUrl)) {
    assert.ok(Date.now() < deadline, 'the emulator outlived the process that started it')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
})

test('the synchronous inspection bridge answers a refused request with an error and keeps working', async () => {
  const { requestSync } = require('../../bindings-node/sync-http.js')
  const started = Date.now()
  assert.match(requestSync('not a url').error, /Invalid URL/)
  assert.match(requestSync('http://127.0.0.1:1/').error, /ECONNREFUSED/)
  const emu = await Emulator.start()
  try {
    assert.equal(requestSync(`${emu.baseUrl}__emulator/`).status, 200)
  } finally {
    await emu.stop()
  }
  assert.ok(Date.now() - started < 10000, `${Date.now() - started} ms`)
})

test('a program that never says it listens is stopped after startTimeoutMs', async (t) => {
  const fs = require('node:fs')
  const os = require('node:os')
  const path = require('node:path')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucare-silent-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const silent = path.join(dir, 'silent-emulator')
  fs.writeFileSync(silent, "#!/bin/sh\necho 'starting' >&2\nexec sleep 600\n", { mode: 0o755 })
  const saved = process.env.UCARE_EMULATOR
  process.env.UCARE_EMULATOR = silent
  t.after(() => { process.env.UCARE_EMULATOR = saved })
  const started = Date.now()
  await assert.rejects(Emulator.start({ startTimeoutMs: 500 }), (e) => e instanceof ucare.InvalidInputError && /said nothing in 500 ms: starting/.test(e.message))
  assert.ok(Date.now() - started < 10000)
  for (const bad of [0, -1, NaN, Infinity, '5', true]) {
    await assert.rejects(Emulator.start({ startTimeoutMs: bad }), (e) => e instanceof ucare.InvalidInputError && /startTimeoutMs/.test(e.message))
  }
  await assert.rejects(Emulator.start(null), ucare.InvalidInputError)
})
