// A typed use of the public API; `tsc --strict --noEmit` must pass on it.
import {
  Client, NotFoundError, verifyAndParseWebhook, type File, type Group, type BatchResult, type ConversionStatus, type WebhookEvent, type MetadataWrite,
  type ContentInfo, type AddonRun, type AddonStatus, type AddonState, type DocumentInfo
} from 'ucare'
import { Emulator, type Delivery } from 'ucare/testing'

async function newestStored (client: Client, count: number): Promise<File[]> {
  const files: File[] = []
  for await (const f of client.files.list({ stored: true, ordering: '-datetime_uploaded', limit: 100 })) {
    const uploaded: Date | null = f.datetimeUploaded
    if (uploaded !== null) files.push(f)
    if (files.length === count) break
  }
  return files
}

async function tidy (client: Client, uuids: string[]): Promise<number> {
  const batch: BatchResult = await client.files.storeMany(uuids)
  for (const [uuid, problem] of Object.entries(batch.problems)) console.log(uuid, problem)
  for await (const page of client.groups.list().pages()) console.log(page.total, page.results.length)
  const job = await client.conversions.document([{ uuid: uuids[0], format: 'pdf' }], { store: true })
  const done: ConversionStatus = await client.conversions.wait(job.jobs[0], { waitMs: 60_000, timeoutMs: 5_000 })
  console.log(done.status, done.uuid)
  const hook = await client.webhooks.create('http://127.0.0.1:9/hook', { event: 'file.stored', signingSecret: 's' })
  await client.webhooks.delete(hook.targetUrl)
  return batch.result.length
}

async function v07 (client: Client, uuid: string): Promise<void> {
  const meta = client.files.metadata(uuid)
  const written: MetadataWrite = await meta.set('subject', 'cat')
  const subject: string | undefined = await meta.get('subject')
  console.log(written, subject, await meta.all())
  const copy: File = await client.files.localCopy(uuid, { store: true, metadata: { k: 'v' } })
  const info: ContentInfo | null = copy.contentInfo
  console.log(info?.mime?.mime, copy.metadata)
  const run: AddonRun = await client.addons.detectLabels(uuid, { maxRetries: 1 })
  const status: AddonStatus = await client.addons.wait(run, { waitMs: 10_000 })
  const state: AddonState = status.status
  console.log(state, (await client.files.info(uuid, { includeAppdata: true })).appdata)
  const doc: DocumentInfo = await client.conversions.documentInfo(uuid)
  console.log(doc.format, doc.conversionFormats, client.apiVersion)
}

function handleDelivery (secret: string, body: Buffer, header: string | undefined): string {
  const event: WebhookEvent = verifyAndParseWebhook(secret, body, header)
  return event.data.uuid
}

async function main (): Promise<void> {
  const emu = await Emulator.start({ seedFiles: 3 })
  try {
    const client = emu.client({ timeoutMs: 10_000 })
    const uuid: string = emu.upload('a.txt', 'hello')
    const album: Group = await client.groups.create([uuid])
    console.log(album.id, album.filesCount)
    console.log(await newestStored(client, 2), await tidy(client, [uuid]))
    const deliveries: Delivery[] = emu.deliveries
    console.log(deliveries.length, handleDelivery.name, v07.name)
    try {
      await client.files.info('21975c81-7f57-4c7a-aef9-acfe28779f78')
    } catch (error) {
      if (error instanceof NotFoundError) {
        const status: number = error.status
        console.log(status, error.detail, error.code)
      }
    }
  } finally {
    await emu.stop()
  }
}

void main()
