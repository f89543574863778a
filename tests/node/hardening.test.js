'use strict'
// Hostile and careless input, hostile servers: the process survives, every failure is an
// UploadcareError (or a TypeError for a wrong host type) raised before anything is sent,
// nothing hangs, nothing is lost, no secret leaks. The hostile server is the
// `ucare-hostile` binary (tests/hostile), built by `make test`. Property tests run
// FC_RUNS examples each (100 by default; raise it to run longer).
const test = require('node:test')
const assert = require('node:assert/strict')
const fc = require('fast-check')
const ucare = require('ucare')
const { Emulator } = require('ucare/testing')
const { hostile, count } = require('./helpers')

const SECRET = 'hostile-node-secret'
const UUID = '21975c81-7f57-4c7a-aef9-acfe28779f78'
const RUNS = Number(process.env.FC_RUNS || 100)

const client = (root, mode, options = {}) =>
  new ucare.Client({ publicKey: 'pk', secretKey: SECRET, baseUrl: `${root}${mode}/`, timeoutMs: 2000, maxRetries: 2, ...options })

const invalid = (match) => (error) => {
  assert.ok(error instanceof ucare.InvalidInputError, `${error}`)
  if (match) assert.match(error.message, match)
  return true
}

test('cyclic, BigInt and non-finite arguments are InvalidInputError, before sending', async (t) => {
  const emu = await Emulator.start()
  t.after(() => emu.stop())
  const c = emu.client()
  const before = emu.stats.requests
  const cyclic = [UUID]
  cyclic.push(cyclic)
  await assert.rejects(c.files.storeMany(cyclic), invalid(/cannot be sent/))
  await assert.rejects(c.files.info(10n), invalid(/BigInt/))
  assert.throws(() => c.files.list({ limit: NaN }), invalid(/limit must be a finite number/))
  assert.throws(() => c.files.list({ limit: Infinity }), invalid(/limit/))
  await assert.rejects(c.conversions.wait(1, { waitMs: 1e300 }), invalid(/timeout/))
  await assert.rejects(c.conversions.wait(1, { waitMs: NaN }), invalid(/waitMs/))
  assert.equal(emu.stats.requests, before, 'nothing was sent')
})

test('absurd client options are InvalidInputError naming the option, never an abort', () => {
  for (const [name, value] of [['timeoutMs', 1e300], ['timeoutMs', Infinity], ['timeoutMs', NaN], ['timeoutMs', -1], ['maxRetries', -1],
    ['maxRetries', 1e20], ['maxRetries', 1.5], ['maxResponseBytes', -1]]) {
    assert.throws(() => new ucare.Client({ publicKey: 'pk', secretKey: 'sk', [name]: value }), invalid(), `${name}=${value}`)
  }
  for (const field of ['publicKey', 'secretKey', 'apiVersion', 'userAgentSuffix']) {
    for (const bad of ['a\r\nX-Evil: 1', 'a\nb', 'a\u0000b']) {
      assert.throws(() => new ucare.Client({ publicKey: 'pk', secretKey: 'sk', [field]: bad }), invalid(), `${field}=${JSON.stringify(bad)}`)
    }
  }
  assert.throws(() => new ucare.Client({ publicKey: 'pk', secretKey: 'sk', baseUrl: 'http://user:pw@127.0.0.1:1/' }), invalid(/user name or password/))
})

test('a missing webhook secret never verifies', () => {
  const body = Buffer.from('{"hook": {}}')
  const forged = ucare.signWebhook('undefined', body)
  for (const secret of [undefined, null, '', 5, Buffer.from('x')]) {
    assert.throws(() => ucare.verifyWebhook(secret, body, forged), invalid(/signing secret/))
    assert.throws(() => ucare.signWebhook(secret, body), invalid(/signing secret/))
    assert.throws(() => ucare.verifyAndParseWebhook(secret, body, forged), invalid(/signing secret/))
  }
})

test('a secret echoed by the server is redacted', async (t) => {
  const { root } = await hostile(t)
  const error = await client(root, 'echo', { auth: 'simple' }).files.info(UUID).catch((e) => e)
  assert.ok(error instanceof ucare.BadRequestError, `${error}`)
  assert.match(error.detail, /Uploadcare\.Simple pk:\*\*\*/)
  for (const text of [error.message, error.detail, String(error.stack), JSON.stringify(error)]) assert.ok(!text.includes(SECRET), text)
  const decode = await client(root, 'echo-page', { auth: 'simple' }).files.info(UUID).catch((e) => e)
  assert.ok(decode instanceof ucare.DecodeError && !decode.message.includes(SECRET) && !decode.snippet.includes(SECRET))
})

test('endless answers, looping and credentialed links end in a DecodeError', async (t) => {
  const { root } = await hostile(t)
  await assert.rejects(client(root, 'endless', { maxResponseBytes: 1 << 20 }).files.info(UUID), (e) => e instanceof ucare.DecodeError && /larger than/.test(e.message))
  for (const mode of ['repeat', 'cycle']) {
    await assert.rejects(client(root, mode).files.list().toArray(), (e) => e instanceof ucare.DecodeError && e.message.includes(`${root}${mode}/files/`))
  }
  await assert.rejects(client(root, 'userinfo').files.list().toArray(), (e) => e instanceof ucare.DecodeError && /user name or password/.test(e.message))
  for (const mode of ['badpage', 'badutf8']) {
    await assert.rejects(client(root, mode).files.list().toArray(), (e) => e instanceof ucare.DecodeError && e.status === 200 && e.snippet.length > 0)
  }
})

test('an AbortSignal cancels the call: AbortError, and no request after it', async (t) => {
  const { root } = await hostile(t)
  const c = client(root, 'unavailable', { maxRetries: 20 })
  const controller = new AbortController()
  const call = c.files.info(UUID, { signal: controller.signal })
  await new Promise((resolve) => setTimeout(resolve, 500))
  controller.abort()
  await assert.rejects(call, (e) => e instanceof ucare.AbortError && e.name === 'AbortError' && e.code === 'ABORT_ERR')
  const atAbort = await count(root, 'unavailable')
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const after = await count(root, 'unavailable')
  console.log(`requests at abort ${atAbort}, one second later ${after}`)
  assert.ok(after <= atAbort + 1, `${atAbort} -> ${after}`)
  // An already aborted signal sends nothing.
  await assert.rejects(c.files.info(UUID, { signal: AbortSignal.abort() }), (e) => e instanceof ucare.AbortError)
  assert.equal(await count(root, 'unavailable'), after)
  // A listing's page fetch is aborted too.
  const slow = client(root, 'silent', { timeoutMs: 60000 })
  const listing = slow.files.list({ signal: AbortSignal.timeout(200) })
  await assert.rejects(listing.toArray(), (e) => e instanceof ucare.AbortError)
})

test('a batch that fails part-way carries what was done and what is left', async (t) => {
  const { root } = await hostile(t)
  const uuids = Array.from({ length: 351 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
  const c = client(root, 'batch')
  const error = await c.files.storeMany(uuids).catch((e) => e)
  assert.ok(error instanceof ucare.BadRequestError, `${error}`)
  const { partial, failed, remaining } = error.batch
  // Four requests (100, 100, 100, 51 ids) go out together; the third to arrive is refused.
  assert.ok(failed.length === 100 || failed.length === 51, `${failed.length}`)
  assert.equal(partial.result.length + remaining.length, 351)
  const rest = await c.files.storeMany(remaining)
  assert.equal(rest.result.length, remaining.length)
})

const anything = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 64, -0, 1e300), fc.string(), fc.constant(null)
)

test('any value at any method is refused before sending, as an UploadcareError or TypeError', async (t) => {
  const emu = await Emulator.start()
  t.after(() => emu.stop())
  const c = emu.client()
  const c05 = emu.client({ apiVersion: '0.5' })
  const calls = (v) => [
    () => c.files.info(v), () => c.files.store(v, v), () => c.files.storeMany(v), () => c.files.deleteMany([UUID, v]),
    () => c05.files.copy(v, { store: v }), () => c05.files.copyToStorage(UUID, { target: v, makePublic: v, pattern: v }),
    () => c.files.localCopy(v, { store: v, metadata: v }), () => c.files.remoteCopy(UUID, { target: v, makePublic: v, pattern: v }),
    () => c.files.info(UUID, { includeAppdata: v, timeoutMs: v, maxRetries: v }), () => c.files.metadata(v).set(v, v), () => c.files.metadata(UUID).get(v),
    () => c.addons.run(v, UUID, { params: v }), () => c.addons.removeBg(v, { crop: v, typeLevel: v, channels: v }), () => c.addons.status(v),
    () => c.addons.wait({ addon: 'remove_bg', requestId: v }, { waitMs: v }), () => c.groups.delete(v), () => c.conversions.documentInfo(v),
    () => c.files.list({ limit: v }).toArray(), () => c.files.list({ ordering: v, from: v }).toArray(), () => c.files.list(v).toArray(),
    () => c.groups.info(v), () => c.groups.create(v), () => c.groups.list({ from: v }).toArray(), () => c.webhooks.create(v, { event: v, signingSecret: v }),
    () => c.webhooks.update(v, { isActive: v }), () => c.webhooks.delete(v), () => c.conversions.document({ uuid: v, format: v, page: v }),
    () => c.conversions.video({ uuid: UUID, size: v, cut: v, thumbs: v }), () => c.conversions.status(v, { kind: v }),
    () => c.conversions.wait(v, { waitMs: v, timeoutMs: v, maxRetries: v }), () => c.conversions.videoPath(v), () => ucare.verifyWebhook(v, v, v),
    () => ucare.parseWebhookEvent(v), () => new ucare.Client(v), () => new ucare.Client({ publicKey: 'pk', secretKey: 'sk', timeoutMs: v, maxRetries: v }),
    () => c.upload(v), () => c.upload(Buffer.from('x'), { name: v, store: v, metadata: v, onProgress: v }), () => c.uploadFromUrl(v, { waitMs: v, timeoutMs: v })
  ]
  await fc.assert(fc.asyncProperty(anything, async (value) => {
    for (const call of calls(value)) {
      const before = emu.stats.requests
      try {
        await call()
      } catch (error) {
        assert.ok(error instanceof ucare.UploadcareError || error instanceof TypeError, `${error && error.stack}`)
        if (error instanceof ucare.InvalidInputError || error instanceof TypeError) assert.equal(emu.stats.requests, before, `${error}`)
      }
    }
  }), { numRuns: RUNS })
})

test('a private CA is trusted only when given; requests go through a proxy', async (t) => {
  const { tls, ca, proxy } = await hostile(t)
  const settings = { publicKey: 'pk', secretKey: SECRET, baseUrl: tls, maxRetries: 0, timeoutMs: 5000 }
  await assert.rejects(new ucare.Client(settings).project(), (e) => e instanceof ucare.TransportError && /certificate/.test(e.message))
  assert.equal((await new ucare.Client({ ...settings, caBundle: ca }).project()).name, 'tls')
  assert.throws(() => new ucare.Client({ ...settings, caBundle: '/nonexistent/ca.pem' }), invalid(/ca_bundle/))
  const proxied = new ucare.Client({ publicKey: 'pk', secretKey: SECRET, baseUrl: 'http://upstream.invalid/', proxy })
  assert.equal((await proxied.project()).name, 'GET http://upstream.invalid/project/ HTTP/1.1')
  assert.throws(() => new ucare.Client({ publicKey: 'pk', secretKey: SECRET, proxy: 'ftp://proxy:21' }), invalid(/proxy/))
})

test('a callback that throws is reported as a warning, never ends the process', async (t) => {
  const emu = await Emulator.start()
  t.after(() => emu.stop())
  const warnings = []
  const listen = (w) => { if (w.name === 'UcareCallbackWarning') warnings.push(w.message) }
  process.on('warning', listen)
  t.after(() => process.off('warning', listen))
  const client = emu.client({ onRequest: () => { throw new Error('hook boom') } })
  assert.equal((await client.project()).name, 'demo')
  const file = await client.upload(Buffer.from('x'), { onProgress: () => { throw new Error('progress boom') } })
  assert.equal(file.size, 1)
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.ok(warnings.some((m) => m.includes('onRequest') && m.includes('hook boom')), warnings.join('; '))
  assert.ok(warnings.some((m) => m.includes('onProgress') && m.includes('progress boom')), warnings.join('; '))
})
