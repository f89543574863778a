// The official Node REST client (@uploadcare/rest-client from npm, v0.7), used as its docs
// show: paginate(listOfFiles) for listing, fileInfo, storeFiles, convert and
// conversionJobStatus, with signed auth.
import {
  ConversionType, UploadcareAuthSchema, conversionJobStatus, convert, fileInfo, listOfFiles, paginate, storeFiles
} from '@uploadcare/rest-client'
import { args, env, peakRssKib, pool, report } from './node_common.mjs'

const { workload, uuids } = args()
const { base, publicKey, secretKey } = env()
const settings = { authSchema: new UploadcareAuthSchema({ publicKey, secretKey }), apiBaseURL: base.replace(/\/$/, '') }
const started = performance.now()
if (workload === 'list') {
  let items = 0; let checksum = 0; let first = 0
  for await (const page of paginate(listOfFiles)({ limit: 1000 }, settings)) {
    for (const f of page.results) { items++; checksum += f.size + f.uuid.length }
    first = first || peakRssKib()
  }
  report(started, items, checksum, first)
} else if (workload === 'info-seq') {
  let total = 0
  for (const uuid of uuids) total += (await fileInfo({ uuid }, settings)).size
  report(started, uuids.length, total)
} else if (workload === 'info-c16') {
  const sizes = await pool(uuids, 16, async (uuid) => (await fileInfo({ uuid }, settings)).size)
  report(started, sizes.length, sizes.reduce((a, b) => a + b, 0))
} else if (workload === 'store') {
  let stored = 0
  for (let i = 0; i < uuids.length; i += 100) stored += (await storeFiles({ uuids: uuids.slice(i, i + 100) }, settings)).result.length
  report(started, stored)
} else if (workload === 'convert') {
  const answer = await convert({ type: ConversionType.DOCUMENT, paths: uuids.map((u) => `${u}/document/-/format/pdf/`) }, settings)
  const done = await pool(answer.result, 16, async (job) => {
    for (;;) {
      const { status } = await conversionJobStatus({ type: ConversionType.DOCUMENT, token: job.token }, settings)
      if (['finished', 'failed', 'cancelled'].includes(status)) return status === 'finished'
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
  report(started, done.length, done.filter(Boolean).length)
} else {
  throw new Error(`no ${workload} here`)
}
