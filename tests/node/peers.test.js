'use strict'
// The official Node clients as independent judges of the emulator's v0.7:
// @uploadcare/rest-client 6.21 (signed auth) and @uploadcare/upload-client 6.21, pointed at
// it, work unchanged through their documented functions.
const test = require('node:test')
const assert = require('node:assert/strict')
const rest = require('@uploadcare/rest-client')
const upload = require('@uploadcare/upload-client')
const { Emulator } = require('ucare/testing')

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000040000000308060000000000000000', 'hex')

test('@uploadcare/rest-client and upload-client flows against the emulator (v0.7)', async (t) => {
  // Seeded files and uploaded ones, each with its own upload moment as on the service (the
  // JS paginator drops `offset`, so a listing with tied moments would lose files).
  const emu = await Emulator.start({ seedFiles: 100, conversionDelayMs: 100, storages: ['backup'] })
  t.after(() => emu.stop())
  for (let i = 0; i < 50; i++) emu.upload(`f${i}.txt`, `file ${i}`)
  const publicKey = emu.publicKey
  const settings = { authSchema: new rest.UploadcareAuthSchema({ publicKey, secretKey: emu.secretKey }), apiBaseURL: emu.baseUrl.replace(/\/$/, '') }
  const uploadBase = emu.baseUrl.replace(/\/$/, '')

  // Listing across pages with the paginate helper (it drops `offset`; pages must still be right).
  const seen = []
  for await (const page of rest.paginate(rest.listOfFiles)({ limit: 40 }, settings)) seen.push(...page.results.map((f) => f.uuid))
  assert.equal(seen.length, 150)
  assert.equal(new Set(seen).size, 150)

  // Uploads.
  const image = await upload.uploadFile(PNG, { publicKey, baseURL: uploadBase, store: false, fileName: 'pixel.png', contentType: 'image/png', metadata: { kind: 'pixel' } })
  assert.equal(image.isImage, true)
  const info = await rest.fileInfo({ uuid: image.uuid, include: 'appdata' }, settings)
  assert.equal(info.originalFilename, 'pixel.png')
  assert.equal(info.contentInfo.image.width, 4)
  assert.deepEqual(info.metadata, { kind: 'pixel' })

  // Store, batches, delete.
  const stored = await rest.storeFile({ uuid: image.uuid }, settings)
  assert.ok(stored.datetimeStored)
  const missing = '21975c81-7f57-4c7a-aef9-acfe28779f78'
  const batch = await rest.storeFiles({ uuids: [seen[0], seen[1], missing] }, settings)
  assert.equal(batch.result.length, 2)
  assert.equal(batch.problems[missing], 'Missing in the project')

  // Metadata.
  await rest.updateMetadata({ uuid: image.uuid, key: 'subsystem', value: 'tests' }, settings)
  assert.equal(await rest.getMetadataValue({ uuid: image.uuid, key: 'subsystem' }, settings), 'tests')
  assert.deepEqual(await rest.getMetadata({ uuid: image.uuid }, settings), { kind: 'pixel', subsystem: 'tests' })
  await rest.deleteMetadata({ uuid: image.uuid, key: 'subsystem' }, settings)

  // Copies.
  const local = await rest.copyFileToLocalStorage({ source: image.uuid, store: true }, settings)
  assert.equal(local.type, 'file')
  const remote = await rest.copyFileToRemoteStorage({ source: image.uuid, target: 'backup', makePublic: true, pattern: '${uuid}${ext}' }, settings)
  assert.equal(remote.result, `s3://backup/${image.uuid}.png`)

  // Groups: made by the upload client, read and deleted by the REST client.
  const group = await upload.uploadFileGroup([image.uuid, local.result.uuid], { publicKey, baseURL: uploadBase })
  assert.equal(group.filesCount, 2)
  assert.equal((await rest.groupInfo({ uuid: group.uuid }, settings)).filesCount, 2)
  assert.ok((await rest.listOfGroups({}, settings)).results.some((g) => g.id === group.uuid))
  await rest.deleteGroup({ uuid: group.uuid }, settings)
  await assert.rejects(rest.groupInfo({ uuid: group.uuid }, settings))

  // Webhooks.
  const hook = await rest.createWebhook({ targetUrl: 'http://127.0.0.1:9/hook', event: 'file.stored', signingSecret: 's3cr3t' }, settings)
  assert.equal(hook.event, 'file.stored')
  assert.deepEqual((await rest.listOfWebhooks({}, settings)).map((w) => w.id), [hook.id])
  assert.equal((await rest.updateWebhook({ id: hook.id, isActive: false }, settings)).isActive, false)
  await rest.deleteWebhook({ targetUrl: 'http://127.0.0.1:9/hook' }, settings)
  assert.deepEqual(await rest.listOfWebhooks({}, settings), [])

  // Document conversion with save_in_group, its status and the document's info.
  const document = await upload.uploadFile(Buffer.from('%PDF-1.4 pages'), { publicKey, baseURL: uploadBase, store: true, fileName: 'report.pdf' })
  const converted = await rest.convert({ type: rest.ConversionType.DOCUMENT, paths: [`${document.uuid}/document/-/format/png/`], store: true, saveInGroup: true }, settings)
  await new Promise((resolve) => setTimeout(resolve, 300))
  const status = await rest.conversionJobStatus({ type: rest.ConversionType.DOCUMENT, token: converted.result[0].token }, settings)
  assert.equal(status.status, 'finished')
  const documentInfo = await rest.conversionInfo({ uuid: document.uuid }, settings)
  assert.equal(documentInfo.format.name, 'pdf')
  assert.ok(documentInfo.convertedGroups.png)

  // Add-ons.
  const run = await rest.executeAddon({ addonName: rest.AddonName.UC_CLAMAV_VIRUS_SCAN, target: image.uuid }, settings)
  let addon
  for (let i = 0; i < 200; i++) {
    addon = await rest.addonExecutionStatus({ addonName: rest.AddonName.UC_CLAMAV_VIRUS_SCAN, requestId: run.requestId }, settings)
    if (addon.status !== rest.AddonExecutionStatus.IN_PROGRESS) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  assert.equal(addon.status, rest.AddonExecutionStatus.DONE)
  const scanned = await rest.fileInfo({ uuid: image.uuid, include: 'appdata' }, settings)
  assert.equal(scanned.appdata.uc_clamav_virus_scan.data.infected, false)

  // Deletes, a 404, a bad secret.
  await rest.deleteFiles({ uuids: [seen[2]] }, settings)
  await rest.deleteFile({ uuid: image.uuid }, settings)
  await assert.rejects(rest.fileInfo({ uuid: missing }, settings), (e) => e instanceof rest.RestClientError && e.status === 404)
  const wrong = { authSchema: new rest.UploadcareAuthSchema({ publicKey, secretKey: 'wrong' }), apiBaseURL: settings.apiBaseURL }
  await assert.rejects(rest.fileInfo({ uuid: seen[0] }, wrong), (e) => e instanceof rest.RestClientError && e.status === 401)
  assert.ok(emu.requests.every((r) => r.accept === 'application/vnd.uploadcare-v0.7+json'), 'every REST call spoke v0.7')
})

test('@uploadcare/upload-client multipart and from-URL uploads against the emulator', async (t) => {
  const emu = await Emulator.start()
  t.after(() => emu.stop())
  const publicKey = emu.publicKey
  const baseURL = emu.baseUrl.replace(/\/$/, '')
  const size = 11 * 1024 * 1024
  const content = Buffer.alloc(size, 7)
  const progress = []
  const big = await upload.uploadFile(content, {
    publicKey, baseURL, fileName: 'big.bin', contentType: 'application/octet-stream', multipartMinFileSize: 10 * 1024 * 1024,
    onProgress: (p) => { if (p.isComputable) progress.push(p.value) }
  })
  assert.equal(big.size, size)
  assert.ok(progress.length > 0 && progress[progress.length - 1] === 1)
  const served = Buffer.from(await (await fetch(`${emu.baseUrl}${big.uuid}/`)).arrayBuffer())
  assert.ok(served.equals(content), 'the CDN serves the same bytes')
  const source = emu.upload('src.txt', 'fetched by the emulator')
  const fetched = await upload.uploadFile(`${emu.baseUrl}${source}/src.txt`, { publicKey, baseURL, store: true })
  assert.equal(fetched.originalFilename, 'src.txt')
  assert.equal(fetched.size, 'fetched by the emulator'.length)
})
