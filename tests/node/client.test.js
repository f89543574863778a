'use strict'
// Every method of the client, against the emulator over HTTP.
const test = require('node:test')
const assert = require('node:assert/strict')
const ucare = require('ucare')
const { Emulator } = require('ucare/testing')
const { SECRET, png } = require('./helpers')

async function withEmulator (options, fn) {
  const emu = await Emulator.start({ secretKey: SECRET, conversionDelayMs: 100, storages: ['backup'], ...options })
  try {
    await fn(emu, emu.client())
  } finally {
    await emu.stop()
  }
}

test('files.list walks every page lazily', () => withEmulator({ seedFiles: 230 }, async (emu, client) => {
  const listing = client.files.list({ limit: 50 })
  assert.equal(emu.stats.requests, 0, 'nothing is fetched before iteration')
  const uuids = []
  for await (const f of listing) uuids.push(f.uuid)
  assert.equal(uuids.length, 230)
  assert.equal(new Set(uuids).size, 230)
  assert.equal(listing.total, 230)
  assert.equal(emu.stats.requests, 5)
  const stored = await client.files.list({ stored: true, limit: 1000 }).toArray()
  assert.equal(stored.length, 77)
  assert.ok(stored.every((f) => f.datetimeStored instanceof Date))
  const v05 = emu.client({ apiVersion: '0.5' })
  const sizes = (await v05.files.list({ ordering: '-size' }).toArray()).map((f) => f.size)
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a))
}))

test('a listing that meets errors goes on from the page that failed; each item comes once', () => withEmulator({ seedFiles: 60, faultRate: 0.4, faults: ['503'] }, async (emu) => {
  const listing = emu.client({ maxRetries: 0 }).files.list({ limit: 7 })
  const seen = []
  let errors = 0
  for (let walks = 0; walks < 500; walks++) {
    try {
      // The listing asks for the page after the one it hands over before it is wanted; an
      // error on that page is met when that page is wanted, not before.
      for await (const page of listing.pages()) seen.push(...page.results.map((f) => f.uuid))
      break
    } catch (error) {
      assert.ok(error instanceof ucare.ApiError && error.status === 503, `${error}`)
      errors++
    }
  }
  assert.ok(errors > 0, 'the emulator refused some page fetches')
  assert.equal(seen.length, 60)
  assert.equal(new Set(seen).size, 60)
}))

test('a listing left part-way leaves no unhandled rejection behind', () => withEmulator({ seedFiles: 20, faultRate: 0.5, faults: ['503'] }, async (emu) => {
  const unhandled = []
  const record = (reason) => unhandled.push(reason)
  process.on('unhandledRejection', record)
  try {
    for (let i = 0; i < 20; i++) {
      try {
        for await (const f of emu.client({ maxRetries: 0 }).files.list({ limit: 2 })) { assert.ok(f.uuid); break }
      } catch (error) {
        assert.ok(error instanceof ucare.ApiError, `${error}`)
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  } finally {
    process.off('unhandledRejection', record)
  }
  assert.deepEqual(unhandled, [])
}))

test('files.list pages, getTotal and from', () => withEmulator({ seedFiles: 30 }, async (emu, client) => {
  const listing = client.files.list({ limit: 12 })
  assert.equal(listing.total, null)
  assert.equal(await listing.getTotal(), 30)
  const sizes = []
  for await (const page of listing.pages()) sizes.push(page.results.length)
  assert.deepEqual(sizes, [12, 12, 6])
  const big = await emu.client({ apiVersion: '0.5' }).files.list({ ordering: 'size', from: 3000 }).toArray()
  assert.ok(big.length > 0 && big.every((f) => f.size >= 3000))
  assert.deepEqual(await client.files.list({ from: new Date(Date.now() + 60000) }).toArray(), [])
}))

test('a file: info, store, delete', () => withEmulator({}, async (emu, client) => {
  const uuid = emu.upload('photo.png', png(3, 2), { store: false })
  const f = await client.files.info(uuid)
  assert.equal(f.originalFilename, 'photo.png')
  assert.equal(f.mimeType, 'image/png')
  assert.equal(f.isImage, true)
  assert.deepEqual([f.imageInfo.width, f.imageInfo.height, f.imageInfo.format], [3, 2, 'PNG'])
  assert.ok(f.datetimeUploaded instanceof Date)
  assert.equal(f.datetimeStored, null)
  assert.ok((await client.files.store(uuid)).datetimeStored instanceof Date)
  assert.ok((await client.files.delete(uuid)).datetimeRemoved instanceof Date)
  assert.deepEqual((await client.files.list({ removed: true }).toArray()).map((x) => x.uuid), [uuid])
}))

test('batches report every problem', () => withEmulator({}, async (emu, client) => {
  const uuids = Array.from({ length: 205 }, (_, i) => emu.upload(`f${i}.txt`, 'x', { store: false }))
  const missing = '21975c81-7f57-4c7a-aef9-acfe28779f78'
  const result = await client.files.storeMany([...uuids, '4j334o01-8bs3', missing])
  assert.equal(result.result.length, 205)
  assert.deepEqual(result.problems, { '4j334o01-8bs3': 'Invalid', [missing]: 'Missing in the project' })
  assert.deepEqual(emu.requests.map((r) => r.method), ['PUT', 'PUT', 'PUT'])
  const deleted = await client.files.deleteMany(new Set(uuids.slice(0, 3)))
  assert.equal(deleted.result.length, 3)
  await assert.rejects(client.files.storeMany([]), ucare.InvalidInputError)
  await assert.rejects(client.files.storeMany(missing), ucare.InvalidInputError)
}))

test('copies (v0.5)', () => withEmulator({}, async (emu) => {
  const client = emu.client({ apiVersion: '0.5' })
  const uuid = emu.upload('photo.png', png(3, 2))
  const copy = await client.files.copy(uuid, { store: true })
  assert.notEqual(copy.uuid, uuid)
  assert.equal(copy.source, `/${uuid}/`)
  assert.equal(await client.files.copyToStorage(uuid, { target: 'backup', pattern: '${uuid}${ext}' }), `s3://backup/${uuid}.png`)
  await assert.rejects(client.files.copyToStorage(uuid, { target: 'nowhere' }), (e) => {
    assert.ok(e instanceof ucare.BadRequestError)
    assert.equal(e.detail, 'Project has no storage with provided name.')
    return true
  })
}))

test('groups (v0.5)', () => withEmulator({}, async (emu) => {
  const client = emu.client({ apiVersion: '0.5' })
  const a = emu.upload('a.txt', 'a', { store: false })
  const b = emu.upload('b.txt', 'b', { store: false })
  const first = emu.createGroup([a, b])
  const second = emu.createGroup([a])
  const ids = (await client.groups.list({ ordering: '-datetime_created', limit: 1 }).toArray()).map((g) => g.id)
  assert.deepEqual(ids, [second, first])
  const group = await client.groups.info(first)
  assert.equal(group.filesCount, 2)
  assert.deepEqual(group.files.map((f) => f.uuid), [a, b])
  assert.ok((await client.groups.store(first)).datetimeStored instanceof Date)
  assert.ok((await client.files.info(b)).datetimeStored instanceof Date)
}))

test('project', () => withEmulator({ projectName: 'node' }, async (emu, client) => {
  assert.deepEqual(await client.project(), { name: 'node', pubKey: 'demopublickey', autostoreEnabled: true, collaborators: [], extra: {} })
}))

test('webhooks and their deliveries', () => withEmulator({}, async (emu, client) => {
  const hook = await client.webhooks.create('http://127.0.0.1:9/hook', { signingSecret: 's3cr3t' })
  assert.equal(hook.isActive, true)
  assert.equal(hook.signingSecret, 's3cr3t')
  assert.ok(!require('node:util').inspect(hook).includes('s3cr3t'), 'the signing secret stays out of inspect')
  assert.deepEqual((await client.webhooks.list()).map((h) => h.id), [hook.id])
  const uuid = emu.upload('a.txt', 'hello')
  const delivery = emu.deliveries.at(-1)
  const event = ucare.verifyAndParseWebhook('s3cr3t', delivery.body, delivery.signature)
  assert.equal(event.data.uuid, uuid)
  assert.equal(event.hook.id, hook.id)
  assert.equal((await client.webhooks.update(hook.id, { isActive: false })).isActive, false)
  await client.webhooks.delete('http://127.0.0.1:9/hook')
  assert.deepEqual(await client.webhooks.list(), [])
  await assert.rejects(client.webhooks.update(hook.id, { isActive: true }), ucare.NotFoundError)
}))

test('conversions: document, video, status, wait', () => withEmulator({}, async (emu, client) => {
  const doc = emu.upload('report.txt', 'hello')
  const image = emu.upload('photo.png', png(2, 2))
  const clip = emu.upload('clip.mp4', Buffer.alloc(32))
  const started = await client.conversions.document({ uuid: doc, format: 'pdf' }, { store: true })
  assert.deepEqual(started.problems, {})
  const job = started.jobs[0]
  assert.ok(['pending', 'processing', 'finished'].includes((await client.conversions.status(job)).status))
  const done = await client.conversions.wait(job, { waitMs: 10000 })
  assert.equal(done.status, 'finished')
  assert.equal((await client.files.info(done.uuid)).originalFilename, 'report.pdf')
  const videos = await client.conversions.video([{ uuid: clip, format: 'webm', thumbs: 2 }, { uuid: image }])
  const finished = await client.conversions.wait(videos.jobs[0], { waitMs: 10000 })
  assert.equal((await client.groups.info(finished.thumbnailsGroupUuid)).filesCount, 2)
  const failed = await client.conversions.wait(videos.jobs[1].token, { kind: 'video', waitMs: 10000 })
  assert.equal(failed.status, 'failed')
  assert.match(failed.error, /not a video/)
  await assert.rejects(client.conversions.status(1), ucare.NotFoundError)
  const uuid = '21975c81-7f57-4c7a-aef9-acfe28779f78'
  assert.equal(client.conversions.documentPath({ uuid, format: 'png', page: 2 }), `${uuid}/document/-/format/png/-/page/2/`)
  assert.equal(client.conversions.videoPath({ uuid, size: { width: 640, height: 480, mode: 'scale_crop' }, cut: { start: '0:0:1', length: 'end' } }),
    `${uuid}/video/-/size/640x480/scale_crop/-/cut/0:0:1/end/`)
  assert.throws(() => client.conversions.videoPath({ uuid, thumbs: 99 }), ucare.InvalidInputError)
}))

test('fromEnv and simple auth', () => withEmulator({}, async (emu) => {
  const saved = { ...process.env }
  try {
    process.env.UPLOADCARE_PUBLIC_KEY = emu.publicKey
    process.env.UPLOADCARE_SECRET_KEY = SECRET
    process.env.UPLOADCARE_API_BASE = emu.baseUrl
    assert.equal((await ucare.Client.fromEnv().project()).pubKey, emu.publicKey)
    delete process.env.UPLOADCARE_SECRET_KEY
    assert.throws(() => ucare.Client.fromEnv(), ucare.InvalidInputError)
  } finally {
    process.env = saved
  }
  await emu.client({ auth: 'simple' }).project()
  assert.equal(emu.requests.at(-1).authScheme, 'Uploadcare.Simple')
}))

test('ESM imports work', async () => {
  const esm = await import('ucare')
  const testing = await import('ucare/testing')
  assert.equal(esm.Client, ucare.Client)
  assert.equal(typeof testing.Emulator.start, 'function')
})
