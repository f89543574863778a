// The Node floor: the leanest hand-written loop (JSON.parse, the signature by hand, no
// models, no retries) doing the same v0.7 requests, over `--http=fetch` (the default) or
// `--http=undici` (undici.request on a keep-alive pool, the fastest plain Node client).
// `make bench` runs both and takes the faster as the floor.
import crypto from 'node:crypto'
import { args, env, option, peakRssKib, pool, report } from './node_common.mjs'

const { workload, uuids } = args()
const { base, publicKey, secretKey } = env()
const origin = new URL(base).origin
const backend = option('http', 'fetch')
const undici = backend === 'undici' ? await import('undici') : null
const dispatcher = undici ? new undici.Pool(origin, { connections: 16 }) : null

function headers (method, uri, body) {
  const date = new Date().toUTCString()
  const md5 = crypto.createHash('md5').update(body).digest('hex')
  const signature = crypto.createHmac('sha1', secretKey).update([method, md5, 'application/json', date, uri].join('\n')).digest('hex')
  return { Accept: 'application/vnd.uploadcare-v0.7+json', 'Content-Type': 'application/json', Date: date, Authorization: `Uploadcare ${publicKey}:${signature}` }
}

async function send (method, uri, body = '') {
  if (dispatcher) {
    const answer = await dispatcher.request({ method, path: uri, body: body || undefined, headers: headers(method, uri, body) })
    return JSON.parse(await answer.body.text())
  }
  const response = await fetch(origin + uri, { method, body: body || undefined, headers: headers(method, uri, body) })
  return JSON.parse(await response.text())
}

const started = performance.now()
if (workload === 'list') {
  let uri = '/files/?limit=1000'; let items = 0; let checksum = 0; let first = 0
  while (uri) {
    const page = await send('GET', uri)
    for (const f of page.results) { items++; checksum += f.size + f.uuid.length }
    first = first || peakRssKib()
    uri = page.next ? page.next.slice(origin.length) : null
  }
  report(started, items, checksum, first)
} else if (workload === 'info-seq') {
  let total = 0
  for (const u of uuids) total += (await send('GET', `/files/${u}/`)).size
  report(started, uuids.length, total)
} else if (workload === 'info-c16') {
  const sizes = await pool(uuids, 16, async (u) => (await send('GET', `/files/${u}/`)).size)
  report(started, sizes.length, sizes.reduce((a, b) => a + b, 0))
} else if (workload === 'store') {
  let stored = 0
  for (let i = 0; i < uuids.length; i += 100) stored += (await send('PUT', '/files/storage/', JSON.stringify(uuids.slice(i, i + 100)))).result.length
  report(started, stored)
} else if (workload === 'convert') {
  const answer = await send('POST', '/convert/document/', JSON.stringify({ paths: uuids.map((u) => `${u}/document/-/format/pdf/`) }))
  const done = await pool(answer.result, 16, async (job) => {
    for (;;) {
      const { status } = await send('GET', `/convert/document/status/${job.token}/`)
      if (['finished', 'failed', 'cancelled'].includes(status)) return status === 'finished'
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })
  report(started, done.length, done.filter(Boolean).length)
}
await dispatcher?.close()
