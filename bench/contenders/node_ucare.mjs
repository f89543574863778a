// The ucare Node contender, used as its users would.
import { Client } from 'ucare'
import { args, env, peakRssKib, pool, report } from './node_common.mjs'

const { workload, uuids } = args()
const { base, publicKey, secretKey } = env()
const client = new Client({ publicKey, secretKey, baseUrl: base })
const started = performance.now()
if (workload === 'list') {
  let items = 0; let checksum = 0; let first = 0
  for await (const page of client.files.list({ limit: 1000 }).pages()) {
    for (const f of page.results) { items++; checksum += f.size + f.uuid.length }
    first = first || peakRssKib()
  }
  report(started, items, checksum, first)
} else if (workload === 'info-seq') {
  let total = 0
  for (const u of uuids) total += (await client.files.info(u)).size
  report(started, uuids.length, total)
} else if (workload === 'info-c16') {
  const sizes = await pool(uuids, 16, async (u) => (await client.files.info(u)).size)
  report(started, sizes.length, sizes.reduce((a, b) => a + b, 0))
} else if (workload === 'store') {
  const batch = await client.files.storeMany(uuids)
  report(started, batch.result.length, Object.keys(batch.problems).length)
} else if (workload === 'convert') {
  const job = await client.conversions.document(uuids.map((uuid) => ({ uuid, format: 'pdf' })))
  const done = await Promise.all(job.jobs.map((j) => client.conversions.wait(j, { waitMs: 120000 })))
  report(started, done.length, done.filter((d) => d.status === 'finished').length)
} else if (workload === 'upload-big') {
  const uploader = new Client({ publicKey, secretKey, baseUrl: base, uploadBaseUrl: base, timeoutMs: 300000 })
  const file = await uploader.upload(uuids[0])
  report(started, 1, file.size)
} else if (workload === 'upload-many') {
  const uploader = new Client({ publicKey, secretKey, baseUrl: base, uploadBaseUrl: base })
  const files = await uploader.uploadMany(uuids, { concurrency: 16 })
  report(started, files.length, files.reduce((a, f) => a + f.size, 0))
}
