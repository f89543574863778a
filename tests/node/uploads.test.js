'use strict'
// Uploads from Node against the emulator: Buffers, paths (multipart from disk, with
// progress), streams, many at once, from a URL, groups, aborted uploads (before and during parts).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Readable } = require('node:stream')
const ucare = require('ucare')
const { Emulator } = require('ucare/testing')

test('uploads of buffers, paths, streams, many, and from a URL', async (t) => {
  const emu = await Emulator.start()
  t.after(() => emu.stop())
  const client = emu.client()
  const small = await client.upload(Buffer.from('hello'), { name: 'hello.txt', store: false, metadata: { kind: 'greeting' } })
  assert.deepEqual([small.originalFilename, small.size, small.datetimeStored], ['hello.txt', 5, null])
  assert.ok(small.datetimeUploaded instanceof Date)

  const file = path.join(os.tmpdir(), `ucare-node-upload-${process.pid}.bin`)
  fs.writeFileSync(file, Buffer.alloc(11 * 1024 * 1024, 3))
  t.after(() => fs.rmSync(file, { force: true }))
  const reports = []
  const big = await client.upload(file, { store: true, onProgress: (sent, total) => reports.push([sent, total]) })
  assert.equal(big.size, 11 * 1024 * 1024)
  assert.equal(big.originalFilename, path.basename(file))
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(reports.length, 3)
  assert.deepEqual(reports[reports.length - 1], [big.size, big.size])

  const streamed = await client.upload(Readable.from([Buffer.from('from '), Buffer.from('a stream')]), { name: 's.txt' })
  assert.equal(streamed.size, 13)

  const many = await client.uploadMany([Buffer.from('a'), Buffer.from('bb')], { concurrency: 2 })
  assert.deepEqual(many.map((f) => f.size), [1, 2])
  const failure = await client.uploadMany([Buffer.from('ok'), Buffer.alloc(0)]).catch((e) => e)
  assert.ok(failure instanceof ucare.InvalidInputError)
  assert.deepEqual(failure.uploaded.map((f) => (f ? f.size : null)), [2, null])
  assert.deepEqual([...failure.errors.keys()], [1])

  const source = emu.upload('src.txt', 'fetched')
  const fetched = await client.uploadFromUrl(`${emu.baseUrl}${source}/src.txt`, { name: 'copy.txt' })
  assert.deepEqual([fetched.originalFilename, fetched.size], ['copy.txt', 7])
  await assert.rejects(client.uploadFromUrl(`${emu.baseUrl}21975c81-7f57-4c7a-aef9-acfe28779f78/`), (e) => e instanceof ucare.ApiError && /404/.test(e.detail))

  for (const bad of [Buffer.alloc(0), '/nonexistent/file', 5, null]) {
    await assert.rejects(client.upload(bad), (e) => e instanceof ucare.InvalidInputError, String(bad))
  }
  await assert.rejects(client.upload(Buffer.from('x'), { signal: AbortSignal.abort() }), (e) => e instanceof ucare.AbortError)
})

test('groups are made of uploaded files, in order; bad members are refused before sending', async (t) => {
  const emu = await Emulator.start()
  t.after(() => emu.stop())
  const client = emu.client()
  const [first, second] = await client.uploadMany([Buffer.from('one'), Buffer.from('two')])
  const group = await client.groups.create([first, `${second.uuid}/-/resize/10x10/`])
  assert.equal(group.filesCount, 2)
  assert.ok(group.id.endsWith('~2'))
  assert.deepEqual(group.files.map((f) => f.uuid), [first.uuid, second.uuid])
  assert.deepEqual(await client.groups.info(group.id), group)
  const endless = { * [Symbol.iterator] () { for (;;) yield first.uuid } }
  for (const bad of [[], 'not a list', [5], ['not-a-uuid'], null, endless]) {
    const before = emu.stats.requests
    await assert.rejects(client.groups.create(bad), (e) => e instanceof ucare.InvalidInputError, String(bad))
    assert.equal(emu.stats.requests, before)
  }
  await assert.rejects(client.groups.create(['21975c81-7f57-4c7a-aef9-acfe28779f78']), (e) => e instanceof ucare.ApiError)
})

test('aborting a multipart upload in progress rejects with AbortError and no file is made', async (t) => {
  // Every request takes 300 ms, so parts are still in flight when the first one is acknowledged.
  const emu = await Emulator.start({ faults: ['slow'], faultRate: 1, slowMs: 300 })
  t.after(() => emu.stop())
  const file = path.join(os.tmpdir(), `ucare-node-abort-${process.pid}.bin`)
  fs.writeFileSync(file, Buffer.alloc(26 * 1024 * 1024, 5))
  t.after(() => fs.rmSync(file, { force: true }))
  const filesBefore = emu.stats.files
  const controller = new AbortController()
  const reports = []
  const upload = emu.client().upload(file, {
    signal: controller.signal,
    onProgress: (sent, total) => { reports.push(sent); controller.abort() }
  })
  await assert.rejects(upload, (e) => e instanceof ucare.AbortError)
  assert.ok(reports.length >= 1 && reports[0] < 26 * 1024 * 1024, `${reports}`)
  // Parts still in flight are dropped and the upload is never completed: no file appears.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  assert.equal(emu.stats.files, filesBefore)
})
