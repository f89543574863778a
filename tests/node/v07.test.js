'use strict'
// REST API v0.7 from Node, against the emulator: the default version, every v0.7 method,
// per-call options, the request log, and the operations the package sends.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')
const ucare = require('ucare')
const { Emulator } = require('ucare/testing')
const { ROOT, SECRET, png, hostile, count } = require('./helpers')

const V07 = 'application/vnd.uploadcare-v0.7+json'
const PDF = Buffer.from('%PDF-1.4 a document')
const UUID = '21975c81-7f57-4c7a-aef9-acfe28779f78'

async function withEmulator (fn) {
  const emu = await Emulator.start({ secretKey: SECRET, conversionDelayMs: 50, storages: ['backup'] })
  try {
    await fn(emu, emu.client())
  } finally {
    await emu.stop()
  }
}

test('the default client speaks v0.7', () => withEmulator(async (emu, client) => {
  assert.equal(client.apiVersion, '0.7')
  await client.project()
  assert.equal(emu.requests.at(-1).accept, V07)
  assert.equal(emu.client({ apiVersion: '0.5' }).apiVersion, '0.5')
  assert.throws(() => emu.client({ apiVersion: '0.6' }), ucare.InvalidInputError)
}))

test('files in v0.7 shape; info equals the listing', () => withEmulator(async (emu, client) => {
  const uuid = emu.upload('photo.png', png(3, 2), { store: true })
  const f = await client.files.info(uuid)
  assert.deepEqual(f.contentInfo.mime, { mime: 'image/png', type: 'image', subtype: 'png' })
  assert.deepEqual([f.imageInfo.width, f.imageInfo.height], [3, 2])
  assert.deepEqual(f.metadata, {})
  assert.equal(f.appdata, null)
  assert.ok((await client.files.info(uuid, { includeAppdata: true })).appdata != null)
  const listed = (await client.files.list({ includeAppdata: true }).toArray()).find((x) => x.uuid === uuid)
  assert.ok(listed.appdata != null)
  for (const c of [client, emu.client({ apiVersion: '0.5' })]) {
    for await (const g of c.files.list()) assert.deepEqual(await c.files.info(g.uuid), g)
  }
}))

test('files of a batch equal their info, in both versions', () => withEmulator(async (emu, client) => {
  for (const c of [client, emu.client({ apiVersion: '0.5' })]) {
    const uuids = [1, 2, 3].map((i) => emu.upload(`${i}.txt`, Buffer.alloc(i, 'x'), { store: false }))
    const stored = await c.files.storeMany([...uuids, 'not-a-uuid'])
    assert.deepEqual(stored.problems, { 'not-a-uuid': 'Invalid' })
    assert.deepEqual(stored.result.map((f) => f.uuid), uuids)
    for (const f of stored.result) {
      assert.ok(f.datetimeStored instanceof Date)
      assert.deepStrictEqual(f, await c.files.info(f.uuid))
    }
    const removed = await c.files.deleteMany(uuids.slice(0, 1))
    assert.ok(removed.result[0].datetimeRemoved instanceof Date)
    assert.deepStrictEqual(removed.result[0], await c.files.info(uuids[0]))
  }
}))

test('copies, metadata, add-ons', () => withEmulator(async (emu, client) => {
  const uuid = emu.upload('photo.png', png(3, 2), { store: true })
  const copy = await client.files.localCopy(uuid, { store: true, metadata: { subject: 'cat' } })
  assert.deepEqual(copy.metadata, { subject: 'cat' })
  assert.deepEqual(await client.files.remoteCopy(uuid, { target: 'backup', pattern: '${uuid}${ext}' }), { url: `s3://backup/${uuid}.png`, created: true })
  const meta = client.files.metadata(uuid)
  assert.equal(await meta.set('subject', 'dog'), 'created')
  assert.equal(await meta.set('subject', 'cow'), 'replaced')
  assert.equal(await meta.get('subject'), 'cow')
  assert.deepEqual(await meta.all(), { subject: 'cow' })
  assert.equal(await meta.delete('subject'), true)
  assert.equal(await meta.delete('subject'), false)
  assert.equal(await meta.get('subject'), undefined)
  await assert.rejects(meta.set('bad key!', 'x'), ucare.InvalidInputError)
  const run = await client.addons.detectLabels(uuid)
  assert.equal(run.addon, 'aws_rekognition_detect_labels')
  assert.equal((await client.addons.wait(run, { waitMs: 10000 })).status, 'done')
  assert.ok((await client.addons.status(run)).isFinal)
  assert.ok('aws_rekognition_detect_labels' in (await client.files.info(uuid, { includeAppdata: true })).appdata)
  const bg = await client.addons.wait(await client.addons.removeBg(uuid, { crop: true, typeLevel: '2' }))
  assert.ok(bg.fileId && (await client.files.info(bg.fileId)).uuid === bg.fileId)
  assert.equal((await client.addons.virusScan(uuid, { purgeInfected: false })).addon, 'uc_clamav_virus_scan')
  assert.equal((await client.addons.detectModerationLabels(uuid)).addon, 'aws_rekognition_detect_moderation_labels')
  await assert.rejects(client.addons.removeBg(uuid, { channels: 'rgb' }), /channels/)
  await assert.rejects(client.addons.run('sharpen', uuid), ucare.InvalidInputError)
}))

test('groups, webhooks, conversions', () => withEmulator(async (emu, client) => {
  const a = emu.upload('a.txt', 'a', { store: true })
  const group = await client.groups.create([a])
  await client.groups.delete(group.id)
  await assert.rejects(client.groups.info(group.id), ucare.NotFoundError)
  const hook = await client.webhooks.create('https://example.com/h', { event: 'file.stored' })
  assert.equal(hook.event, 'file.stored')
  assert.equal((await client.webhooks.update(hook.id, { event: 'file.info_updated' })).event, 'file.info_updated')
  await client.webhooks.delete('https://example.com/h')
  assert.deepEqual(await client.webhooks.list(), [])
  await assert.rejects(client.webhooks.create('https://example.com/x', { event: 'file.exploded' }), /event/)
  const doc = emu.upload('report.pdf', PDF, { store: true })
  const job = await client.conversions.document({ uuid: doc, format: 'png' }, { saveInGroup: true })
  assert.equal((await client.conversions.wait(job.jobs[0], { waitMs: 10000 })).status, 'finished')
  const info = await client.conversions.documentInfo(doc)
  assert.equal(info.format, 'pdf')
  assert.ok(info.conversionFormats.includes('png') && 'png' in info.convertedGroups)
}))

test('a method of the other version is refused before sending', () => withEmulator(async (emu, client) => {
  const v05 = emu.client({ apiVersion: '0.5' })
  const uuid = emu.upload('a.txt', 'a', { store: true })
  const before = emu.requests.length
  for (const call of [() => v05.files.localCopy(uuid), () => v05.files.metadata(uuid).all(), () => v05.addons.detectLabels(uuid),
    () => v05.groups.delete('x~1'), () => v05.conversions.documentInfo(uuid), () => v05.files.info(uuid, { includeAppdata: true })]) {
    await assert.rejects(call(), /v0.7 only/)
  }
  for (const call of [() => client.files.copy(uuid), () => client.groups.store('x~1'),
    () => client.webhooks.create('https://example.com/h', { version: '0.5' }), () => client.files.list({ from: 10 }).toArray()]) {
    await assert.rejects(async () => call(), /v0.5 only/)
  }
  assert.equal(emu.requests.length, before)
}))

test('per-call options: timeoutMs and maxRetries for one call', async (t) => {
  const { root } = await hostile(t)
  const client = new ucare.Client({ publicKey: 'pk', secretKey: SECRET, baseUrl: `${root}unavailable/`, maxRetries: 2 })
  await assert.rejects(client.files.info(UUID, { maxRetries: 0 }), ucare.ApiError)
  assert.equal(await count(root, 'unavailable'), 1)
  await assert.rejects(client.files.info(UUID), ucare.ApiError)
  assert.equal(await count(root, 'unavailable'), 4)
  const silent = new ucare.Client({ publicKey: 'pk', secretKey: SECRET, baseUrl: `${root}silent/`, timeoutMs: 20000, maxRetries: 0 })
  const started = Date.now()
  await assert.rejects(silent.files.info(UUID, { timeoutMs: 200 }), ucare.TimeoutError)
  assert.ok(Date.now() - started < 2000)
  await assert.rejects(client.files.info(UUID, { maxRetries: 99 }), /max_retries/)
  assert.throws(() => client.files.list({ timeoutMs: -1 }), ucare.InvalidInputError)
})

test('the request log reaches onRequest without the secret', () => withEmulator(async (emu) => {
  const entries = []
  const client = emu.client({ auth: 'simple', onRequest: (entry) => entries.push(entry) })
  const uuid = emu.upload('a.txt', 'a', { store: true })
  await client.files.info(uuid)
  await assert.rejects(client.files.info(UUID), ucare.NotFoundError)
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(entries.map((e) => [e.method, e.path, e.status, e.attempt]), [['GET', `/files/${uuid}/`, 200, 1], ['GET', `/files/${UUID}/`, 404, 1]])
  assert.ok(entries.every((e) => e.elapsedMs > 0 && e.error === null && !JSON.stringify(e).includes(SECRET)))
  assert.throws(() => emu.client({ onRequest: 'yes' }), ucare.InvalidInputError)
}))

test('UCARE_LOG=debug writes the request log to stderr', () => withEmulator(async (emu) => {
  const uuid = emu.upload('a.txt', 'a', { store: true })
  const script = `const { Client } = require('ucare'); new Client({ publicKey: process.argv[1], secretKey: process.argv[2], baseUrl: process.argv[3] }).files.info(process.argv[4]).then(() => {})`
  const child = spawn(process.execPath, ['-e', script, emu.publicKey, SECRET, emu.baseUrl, uuid], { env: { ...process.env, UCARE_LOG: 'debug' }, cwd: ROOT })
  let stderr = ''
  child.stderr.on('data', (c) => { stderr += c })
  const code = await new Promise((resolve) => child.on('close', resolve))
  assert.equal(code, 0, stderr)
  assert.match(stderr, new RegExp(`ucare: GET /files/${uuid}/ 200 \\(attempt 1, [\\d.]+ ms\\)`))
  assert.ok(!stderr.includes(SECRET))
}))

test('every operation the package sends exists', () => {
  const source = fs.readFileSync(path.join(ROOT, 'bindings-node', 'client.js'), 'utf8')
  const names = new Set([...source.matchAll(/call\(this\.#(?:client|native), '([a-z_.]+)'/g)].map((m) => m[1]))
  // (batch stores and deletes call the addon's fileBatch, a method of their own)
  assert.ok(names.size >= 27, [...names].join(' '))
  const addon = require(path.join(ROOT, 'bindings-node', 'native'))
  assert.deepEqual([...names].filter((n) => !addon.isOperation(n)), [])
  assert.ok(!addon.isOperation('files.infos'))
})

test('tsc --strict rejects every typo of a closed set', () => {
  const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc')
  const file = path.join(__dirname, 'typed-mistakes.ts')
  const expected = fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (line.endsWith('// error') ? [i + 1] : []))
  const run = spawnSyncText(tsc, ['-p', path.join(__dirname, 'tsconfig.mistakes.json')])
  const reported = [...new Set([...run.matchAll(/typed-mistakes\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])))]
  assert.deepEqual(reported.sort((a, b) => a - b), expected, run)
})

function spawnSyncText (command, args) {
  const { spawnSync } = require('node:child_process')
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: ROOT })
  return result.stdout + result.stderr
}

test('errors cross as values: status, detail and field errors', () => withEmulator(async (emu, client) => {
  await assert.rejects(client.addons.detectLabels(UUID), (e) => {
    assert.ok(e instanceof ucare.BadRequestError)
    assert.equal(e.status, 400)
    assert.deepEqual(e.fieldErrors, { target: ['File does not exist.'] })
    return true
  })
  await assert.rejects(client.files.info(UUID), (e) => e instanceof ucare.NotFoundError && e.fieldErrors === null && e.detail === 'Not found.')
  // Synchronous entry points throw the description as a value too, not JSON in a message.
  const addon = require(path.join(ROOT, 'bindings-node', 'native'))
  assert.throws(() => addon.documentPath(JSON.stringify({ uuid: UUID, format: 'exe' })), (e) => {
    assert.ok(!(e instanceof Error) && e.failure.kind === 'invalid_input' && /format/.test(e.failure.message), JSON.stringify(e))
    return true
  })
  assert.throws(() => client.conversions.documentPath({ uuid: UUID, format: 'exe' }), (e) => e instanceof ucare.InvalidInputError && /format/.test(e.message))
  assert.throws(() => emu.client({ timeoutMs: 1e300 }), ucare.InvalidInputError)
}))
