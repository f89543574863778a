'use strict'
// Concurrency, a responsive event loop, secrets, signature vectors, and the types.
const test = require('node:test')
const assert = require('node:assert/strict')
const util = require('node:util')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const ucare = require('ucare')
const { Emulator } = require('ucare/testing')
const { ROOT, SECRET, vectors } = require('./helpers')

test('many promises in flight at once', async () => {
  const emu = await Emulator.start({ seedFiles: 1 })
  try {
    const client = emu.client()
    const [file] = await client.files.list().toArray()
    const results = await Promise.all(Array.from({ length: 300 }, () => client.files.info(file.uuid)))
    assert.equal(results.length, 300)
    assert.ok(results.every((r) => r.uuid === file.uuid))
  } finally {
    await emu.stop()
  }
  // Proof that they are in flight together: 50 answers that each take 0.3 s arrive in far
  // less than the 15 s they would take one after another.
  const slow = await Emulator.start({ faultRate: 1, faults: ['slow'], slowMs: 300 })
  try {
    const client = slow.client({ maxRetries: 0 })
    const started = Date.now()
    assert.equal((await Promise.all(Array.from({ length: 50 }, () => client.project()))).length, 50)
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`)
  } finally {
    await slow.stop()
  }
})

test('the event loop stays responsive during a slow call', async () => {
  const emu = await Emulator.start({ faultRate: 1, faults: ['slow'], slowMs: 600 })
  try {
    let ticks = 0
    const timer = setInterval(() => { ticks++ }, 10)
    await emu.client({ maxRetries: 0 }).project()
    clearInterval(timer)
    assert.ok(ticks >= 20, `the loop ticked only ${ticks} times during a 0.6 s call`)
  } finally {
    await emu.stop()
  }
})

test('the secret key appears in no inspect output or message', async () => {
  const emu = await Emulator.start({ secretKey: SECRET })
  try {
    const client = emu.client()
    const texts = [util.inspect(client, { showHidden: true, depth: 5 }), JSON.stringify(client), String(client), util.inspect(emu, { showHidden: true }),
      util.inspect(client.files, { showHidden: true })]
    const failures = [
      () => new ucare.Client({ publicKey: emu.publicKey, secretKey: SECRET, baseUrl: emu.baseUrl, apiVersion: '0.4' }).project(),
      () => new ucare.Client({ publicKey: 'nobody', secretKey: SECRET, baseUrl: emu.baseUrl, auth: 'simple' }).project(),
      () => new ucare.Client({ publicKey: 'pk', secretKey: SECRET, baseUrl: 'http://127.0.0.1:1/', auth: 'simple', maxRetries: 0 }).project(),
      () => new ucare.Client({ publicKey: 'pk', secretKey: SECRET, timeoutMs: -5 }),
      () => client.files.info('nope')
    ]
    for (const fail of failures) {
      try {
        await fail()
        assert.fail('should have thrown')
      } catch (error) {
        texts.push(util.inspect(error, { showHidden: true }), String(error), error.stack, JSON.stringify(error))
      }
    }
    texts.push(JSON.stringify(emu.requests))
    for (const text of texts) assert.ok(!String(text).includes(SECRET), `secret leaked in: ${text}`)
  } finally {
    await emu.stop()
  }
})

test('request signature vectors', () => {
  for (const v of vectors().request_signatures) {
    assert.equal(ucare.requestSignature(v.secret_key, v.method, v.body, v.content_type, v.date, v.uri), v.signature, v.name)
  }
})

test('webhook signature vectors', () => {
  for (const v of vectors().webhook_signatures) {
    assert.equal(ucare.signWebhook(v.signing_secret, v.body), v.value)
    assert.ok(ucare.verifyWebhook(v.signing_secret, Buffer.from(v.body), v.value))
    assert.ok(!ucare.verifyWebhook('wrong', v.body, v.value))
    assert.ok(!ucare.verifyWebhook(v.signing_secret, v.body, undefined))
    const event = ucare.verifyAndParseWebhook(v.signing_secret, v.body, v.value)
    assert.equal(event.data.uuid, 'f08d7c8a-2971-42e0-ab01-780d9039b40b')
    assert.ok(event.data.contentInfo != null && !('content_info' in event.data.extra))
    assert.throws(() => ucare.verifyAndParseWebhook('wrong', v.body, v.value), ucare.InvalidInputError)
  }
  assert.throws(() => ucare.parseWebhookEvent('not json'), ucare.DecodeError)
})

test('the typed example passes tsc --strict', () => {
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc')
  execFileSync(tsc, ['--strict', '--noEmit', '-p', path.join(__dirname, 'tsconfig.json')], { stdio: 'pipe' })
})

test('on a platform without a binary, both loaders name the platform and what to install', () => {
  // A child Node that believes it runs on linux-riscv64 (no addon or program is built for it).
  const pretend = "Object.defineProperty(process, 'arch', { value: 'riscv64' });"
  const run = (code) => {
    try {
      execFileSync(process.execPath, ['-e', pretend + code], { encoding: 'utf8', stdio: 'pipe' })
      return ''
    } catch (error) {
      return error.stderr
    }
  }
  const addon = run(`require(${JSON.stringify(path.join(ROOT, 'bindings-node', 'native.js'))})`)
  assert.match(addon, /no native binary for this platform \(linux-riscv64-(gnu|musl)\)/)
  assert.match(addon, /optional package ucare-linux-riscv64-(gnu|musl)/)
  assert.match(addon, /--omit=optional/)
  const program = run(`require(${JSON.stringify(path.join(ROOT, 'emulator', 'js', 'index.js'))}).binaryPath()`)
  assert.match(program, /no program for this platform \(linux-riscv64-(gnu|musl)\)/)
  assert.match(program, /ucare-emulator-linux-riscv64-(gnu|musl)/)
  assert.match(program, /UCARE_EMULATOR/)
})
