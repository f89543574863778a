// The JavaScript quickstart: every part of the client (REST API v0.7) against a running
// Uploadcare (the emulator in `make demo`). Reads UPLOADCARE_PUBLIC_KEY, UPLOADCARE_SECRET_KEY and
// UPLOADCARE_API_BASE; uploads go to UPLOADCARE_UPLOAD_BASE.
import http from 'node:http'
import { once } from 'node:events'
import { Client, verifyAndParseWebhook, SIGNATURE_HEADER } from 'ucare'

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==', 'base64')
const SIGNING_SECRET = 'demo-signing-secret'

/** A local HTTP endpoint that resolves with the first webhook delivery. */
async function startReceiver () {
  let deliver
  const delivered = new Promise((resolve) => { deliver = resolve })
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      deliver({ signature: req.headers[SIGNATURE_HEADER], body: Buffer.concat(chunks) })
      res.end()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${server.address().port}/hook`, delivered, server }
}

const client = Client.fromEnv({ userAgentSuffix: 'quickstart' })
const uploadBase = process.env.UPLOADCARE_UPLOAD_BASE

const receiver = await startReceiver()
const hook = await client.webhooks.create(receiver.url, { signingSecret: SIGNING_SECRET })
console.log(`subscribed webhook ${hook.id} -> ${hook.targetUrl}`)

const image = (await client.upload(PNG, { name: 'pixel.png', store: false, metadata: { subject: 'pixel' } })).uuid
const document = (await client.upload(Buffer.from('Meeting notes: ship the Node package.'), { name: 'notes.txt', store: false })).uuid
const extra = (await client.upload(Buffer.from('to be removed'), { name: 'extra.txt', store: false })).uuid
console.log(`uploaded pixel.png ${image}, notes.txt ${document}, extra.txt ${extra}`)
const copy = await client.uploadFromUrl(`${uploadBase}${image}/pixel.png`, { name: 'pixel-copy.png', store: true })
console.log(`uploaded from a URL: ${copy.originalFilename} ${copy.uuid}`)

const { signature, body } = await receiver.delivered
const event = verifyAndParseWebhook(SIGNING_SECRET, body, signature)
console.log(`webhook delivered for ${event.data.originalFilename} (${event.data.uuid}), signature verified`)
receiver.server.close()

const info = await client.files.info(image)
console.log(`info: ${info.originalFilename} ${info.mimeType} ${info.size} bytes, ${info.imageInfo.width}x${info.imageInfo.height} image, uploaded ${info.datetimeUploaded.toISOString()}`)

const meta = client.files.metadata(image)
await meta.set('source', 'quickstart')
console.log(`metadata: ${JSON.stringify(await meta.all())}`)
const run = await client.addons.detectLabels(image)
const status = await client.addons.wait(run, { waitMs: 30_000 })
const labelled = await client.files.info(image, { includeAppdata: true })
console.log(`add-on ${run.addon}: ${status.status}; appdata has ${Object.keys(labelled.appdata ?? {}).sort()}`)
const twin = await client.files.localCopy(image, { store: true })
console.log(`local copy: ${twin.uuid}`)

const batch = await client.files.storeMany([image, document, 'not-a-uuid'])
console.log(`batch store: ${batch.result.length} stored, problems: ${JSON.stringify(batch.problems)}`)
const removed = await client.files.deleteMany([extra])
console.log(`batch delete: ${removed.result.length} removed`)

console.log('stored files, newest first:')
for await (const f of client.files.list({ stored: true, ordering: '-datetime_uploaded', limit: 100 })) {
  console.log(`  ${f.uuid}  ${String(f.size).padStart(6)} bytes  ${f.originalFilename}`)
}

const group = await client.groups.info((await client.groups.create([image, document])).id)
console.log(`group ${group.id} has ${group.filesCount} files`)
await client.groups.delete(group.id)
console.log(`group ${group.id} deleted (its files stay)`)

const job = await client.conversions.document([{ uuid: document, format: 'pdf' }], { store: true })
const done = await client.conversions.wait(job.jobs[0], { waitMs: 60_000 })
const pdf = await client.files.info(done.uuid)
console.log(`converted notes.txt -> ${pdf.originalFilename} (${pdf.mimeType}), status ${done.status}`)

const project = await client.project()
console.log(`project '${project.name}' (${project.pubKey}), autostore ${project.autostoreEnabled}`)

await client.webhooks.delete(receiver.url)
const stats = client.stats()
console.log(`unsubscribed; ${stats.requests} requests made, ${stats.retries} retried`)
