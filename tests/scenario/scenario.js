'use strict'
// The cross-language scenario through the Node package: the same calls as src/main.rs,
// each result printed as one line of canonical JSON `[step, value]` (fields in the API's
// snake_case, so that the three outputs compare directly).
const ucare = require('ucare')

const MISSING = '21975c81-7f57-4c7a-aef9-acfe28779f78'
const PNG = require('../node/helpers').png(3, 2)

const file = (f) => ({
  uuid: f.uuid,
  original_filename: f.originalFilename,
  mime_type: f.mimeType,
  size: f.size,
  is_image: f.isImage,
  is_ready: f.isReady,
  stored: f.datetimeStored != null,
  removed: f.datetimeRemoved != null,
  datetime_uploaded: f.datetimeUploaded && f.datetimeUploaded.toISOString(),
  metadata: f.metadata,
  content_mime: f.contentInfo?.mime?.mime ?? null,
  image_size: f.imageInfo ? [f.imageInfo.width, f.imageInfo.height] : null,
  appdata_keys: f.appdata == null ? null : Object.keys(f.appdata).sort()
})

function error (e) {
  const kinds = { NOT_FOUND: 'not_found', BAD_REQUEST: 'bad_request', AUTHENTICATION_ERROR: 'authentication', THROTTLED: 'throttled' }
  return { error: kinds[e.code] ?? 'api', status: e.status, detail: e.detail }
}

const step = (name, value) => console.log(JSON.stringify([name, value]))

async function main () {
  const client = ucare.Client.fromEnv()
  const project = await client.project()
  step('project', { name: project.name, pub_key: project.pubKey, autostore_enabled: project.autostoreEnabled })

  const a = await client.upload(Buffer.from('hello'), { name: 'a.txt', store: false, metadata: { k: 'v' } })
  step('upload', file(a))
  step('info', file(await client.files.info(a.uuid)))
  step('store', file(await client.files.store(a.uuid)))
  step('list', (await client.files.list({ stored: true, limit: 10 }).toArray()).map(file))
  const batch = await client.files.storeMany([a.uuid, 'not-a-uuid'])
  step('store_many', { status: batch.status, problems: batch.problems, result: batch.result.map((f) => f.uuid) })
  const copy = await client.files.localCopy(a.uuid, { store: true })
  step('local_copy', file(copy))

  const meta = client.files.metadata(a.uuid)
  step('metadata_set', await meta.set('subject', 'cat'))
  step('metadata_get', await meta.get('subject'))
  step('metadata_all', await meta.all())

  const group = await client.groups.info((await client.groups.create([a, copy])).id)
  step('group', { id: group.id, files_count: group.filesCount, files: group.files.map((f) => (f ? f.uuid : null)) })
  await client.groups.delete(group.id)
  await client.groups.info(group.id).catch((e) => step('group_deleted', error(e)))

  const view = (h) => ({ id: h.id, event: h.event, target_url: h.targetUrl, is_active: h.isActive, has_secret: h.signingSecret != null })
  const hook = await client.webhooks.create('https://example.com/hook', { event: 'file.stored', signingSecret: 's3cret' })
  step('webhook', view(hook))
  step('webhook_update', view(await client.webhooks.update(hook.id, { isActive: false })))
  await client.webhooks.delete('https://example.com/hook')
  step('webhooks_after', (await client.webhooks.list()).length)

  const doc = await client.upload(Buffer.from('%PDF-1.4 a document'), { name: 'report.pdf', store: true })
  const started = await client.conversions.document({ uuid: doc.uuid, format: 'png' }, { store: true, saveInGroup: true })
  step('convert', { jobs: started.jobs.map((j) => ({ token: j.token, uuid: j.uuid })), problems: started.problems })
  const done = await client.conversions.wait(started.jobs[0], { waitMs: 30000 })
  step('convert_wait', { status: done.status, error: done.error, uuid: done.uuid })
  const info = await client.conversions.documentInfo(doc.uuid)
  step('document_info', { format: info.format, conversion_formats: info.conversionFormats, converted_groups: Object.keys(info.convertedGroups).sort() })

  const image = await client.upload(PNG, { name: 'pixel.png', store: true })
  step('upload_image', file(image))
  const run = await client.addons.detectLabels(image.uuid)
  step('addon_run', { addon: run.addon })
  const status = await client.addons.wait(run, { waitMs: 30000 })
  step('addon_wait', { status: status.status, file_id: status.fileId })
  step('info_appdata', file(await client.files.info(image.uuid, { includeAppdata: true })))

  await client.files.info(MISSING).catch((e) => step('error', error(e)))
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
