'use strict'
// Every error class, for the right reason, before or after sending.
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const net = require('node:net')
const ucare = require('ucare')
const { Emulator } = require('ucare/testing')
const { SECRET } = require('./helpers')

const is = (Class, check = () => {}) => (error) => {
  assert.ok(error instanceof Class, `${error} is a ${Class.name}`)
  assert.ok(error instanceof ucare.UploadcareError)
  assert.ok(error instanceof Error)
  assert.equal(typeof error.code, 'string')
  check(error)
  return true
}

test('the classes and their codes', () => {
  const codes = new Set()
  for (const Class of [ucare.UploadcareError, ucare.ApiError, ucare.AuthenticationError, ucare.NotFoundError, ucare.ThrottledError,
    ucare.BadRequestError, ucare.TransportError, ucare.TimeoutError, ucare.InvalidInputError, ucare.OutcomeUnknownError, ucare.DecodeError]) {
    codes.add(Class.prototype.code)
    assert.equal(new Class('x').name, Class.name)
  }
  assert.equal(codes.size, 11)
})

test('API errors carry status and detail', async () => {
  const emu = await Emulator.start({ secretKey: SECRET })
  try {
    await assert.rejects(new ucare.Client({ publicKey: emu.publicKey, secretKey: 'wrong', baseUrl: emu.baseUrl }).project(),
      is(ucare.AuthenticationError, (e) => assert.deepEqual([e.status, e.detail], [401, 'Invalid signature. Please check your secret key.'])))
    await assert.rejects(new ucare.Client({ publicKey: 'nobody', secretKey: SECRET, baseUrl: emu.baseUrl }).project(),
      is(ucare.AuthenticationError, (e) => assert.equal(e.detail, 'Public key nobody not found.')))
    const client = emu.client()
    await assert.rejects(client.files.info('21975c81-7f57-4c7a-aef9-acfe28779f78'),
      is(ucare.NotFoundError, (e) => assert.deepEqual([e.status, e.detail, e.code], [404, 'Not found.', 'NOT_FOUND'])))
    await client.webhooks.create('http://127.0.0.1:9/x')
    await assert.rejects(client.webhooks.create('http://127.0.0.1:9/x'), is(ucare.BadRequestError, (e) => assert.equal(e.status, 400)))
    assert.throws(() => emu.client({ apiVersion: '0.4' }), is(ucare.InvalidInputError))
    const failing = await Emulator.start({ faultRate: 1, faults: ['503'] })
    try {
      await assert.rejects(failing.client({ maxRetries: 0 }).project(), is(ucare.ApiError, (e) => assert.equal(e.status, 503)))
    } finally {
      await failing.stop()
    }
  } finally {
    await emu.stop()
  }
  const noHooks = await Emulator.start({ webhooksEnabled: false })
  await assert.rejects(noHooks.client().webhooks.list(), is(ucare.AuthenticationError, (e) => assert.equal(e.status, 403)))
  await noHooks.stop()
})

test('throttled answers carry retryAfter; a patient client waits them out', async () => {
  const emu = await Emulator.start({ rateLimit: 1 })
  try {
    const impatient = emu.client({ maxRetries: 0 })
    await assert.rejects(async () => { for (let i = 0; i < 5; i++) await impatient.project() },
      is(ucare.ThrottledError, (e) => assert.deepEqual([e.status, e.retryAfter], [429, 1])))
    const patient = emu.client()
    for (let i = 0; i < 3; i++) await patient.project()
    assert.ok(patient.stats().retries > 0)
  } finally {
    await emu.stop()
  }
})

test('server errors after retries, timeouts, lost POST answers', async () => {
  const failing = await Emulator.start({ faultRate: 1, faults: ['503'] })
  const client = failing.client({ maxRetries: 1 })
  await assert.rejects(client.project(), is(ucare.ApiError, (e) => assert.equal(e.status, 503)))
  assert.deepEqual(client.stats(), { requests: 2, retries: 1 })
  await failing.stop()

  const slow = await Emulator.start({ faultRate: 1, faults: ['slow'], slowMs: 3000 })
  const started = Date.now()
  await assert.rejects(slow.client({ timeoutMs: 300, maxRetries: 0 }).project(), is(ucare.TimeoutError))
  const took = Date.now() - started
  assert.ok(took >= 250 && took < 2000, `timed out after ${took} ms`)
  await slow.stop()

  const dropping = await Emulator.start({ faultRate: 1, faults: ['drop'] })
  const uuid = dropping.upload('a.txt', 'a')
  const before = dropping.stats.files
  await assert.rejects(dropping.client().files.localCopy(uuid), is(ucare.OutcomeUnknownError))
  assert.equal(dropping.stats.files, before + 1, 'exactly one copy was made')
  await dropping.stop()
})

test('a closed port is a transport error', async () => {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  const client = new ucare.Client({ publicKey: 'pk', secretKey: SECRET, baseUrl: `http://127.0.0.1:${port}/`, maxRetries: 0 })
  await assert.rejects(client.project(), is(ucare.TransportError))
})

test('bad answers are decode errors with a snippet', async () => {
  const answers = {
    '/project/': [200, '<html><body>Gateway</body></html>'],
    '/files/21975c81-7f57-4c7a-aef9-acfe28779f78/': [200, '{"uuid": "2197'],
    '/webhooks/': [502, '<html>Bad gateway</html>']
  }
  const server = http.createServer((req, res) => {
    const [status, body] = answers[req.url] ?? [404, '']
    res.writeHead(status).end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const client = new ucare.Client({ publicKey: 'pk', secretKey: SECRET, baseUrl: `http://127.0.0.1:${server.address().port}/`, maxRetries: 0 })
    await assert.rejects(client.project(), is(ucare.DecodeError, (e) => { assert.equal(e.status, 200); assert.match(e.snippet, /<html>/) }))
    await assert.rejects(client.files.info('21975c81-7f57-4c7a-aef9-acfe28779f78'), is(ucare.DecodeError))
    await assert.rejects(client.webhooks.list(), is(ucare.ApiError, (e) => { assert.equal(e.status, 502); assert.match(e.detail, /Bad gateway/) }))
  } finally {
    server.close()
  }
})

test('bad input is refused before anything is sent', async () => {
  const emu = await Emulator.start()
  try {
    const client = emu.client()
    const before = emu.stats.requests
    const rejected = [
      () => client.files.info(123),
      () => client.files.info('nope'),
      () => client.files.list({ limit: 0 }).toArray(),
      () => client.files.list({ limit: 'ten' }).toArray(),
      () => client.files.list({ ordering: 'newest' }).toArray(),
      () => client.files.list({ ordering: 'size', from: new Date() }).toArray(),
      () => client.files.list({ from: 'yesterday' }).toArray(),
      () => client.files.copy(''),
      () => client.groups.info('not-a-group'),
      () => client.groups.list({ limit: 5000 }).toArray(),
      () => client.webhooks.create('ftp://x'),
      () => client.webhooks.create('https://example.com/h', { signingSecret: 's'.repeat(33) }),
      () => client.webhooks.update(1, {}),
      () => client.conversions.document([]),
      () => client.conversions.document(['nope']),
      () => client.conversions.status('token'),
      () => client.conversions.wait(1, { waitMs: -1 })
    ]
    for (const call of rejected) {
      await assert.rejects(async () => call(), is(ucare.InvalidInputError))
    }
    assert.throws(() => new ucare.Client({ publicKey: 'pk', secretKey: 'sk', timeoutMs: 0 }), ucare.InvalidInputError)
    assert.throws(() => new ucare.Client({}), ucare.InvalidInputError)
    assert.equal(emu.stats.requests, before, 'nothing was sent')
  } finally {
    await emu.stop()
  }
})
