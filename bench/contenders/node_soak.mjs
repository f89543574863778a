// Soak worker (Node): list every file, batch-store, read infos and copy under faults;
// prints one JSON line with what it met. Run by bench/soak.py.
import { Client, UploadcareError, OutcomeUnknownError } from 'ucare'
import { pool } from './node_common.mjs'

const [storeCount, infoCount, copies] = process.argv.slice(2).map(Number)
const client = new Client({
  publicKey: process.env.UPLOADCARE_PUBLIC_KEY,
  secretKey: process.env.UPLOADCARE_SECRET_KEY,
  baseUrl: process.env.UPLOADCARE_API_BASE,
  timeoutMs: Number(process.env.SOAK_TIMEOUT) * 1000,
  maxRetries: Number(process.env.SOAK_RETRIES)
})
const report = { errors: 0 }
const uuids = []
const listing = client.files.list({ limit: 100 })
for (;;) { // a page that still fails after the retries is asked again: the cursor has not moved
  try {
    for await (const page of listing.pages()) uuids.push(...page.results.map((f) => f.uuid))
    break
  } catch (error) {
    if (!(error instanceof UploadcareError)) throw error
    report.errors++
  }
}
report.listed = uuids.length
report.unique = new Set(uuids).size

let batch
for (;;) {
  try {
    batch = await client.files.storeMany(uuids.slice(0, storeCount))
    break
  } catch (error) {
    if (!(error instanceof UploadcareError)) throw error
    report.errors++
  }
}
report.store_result = batch.result.length
report.store_problems = Object.keys(batch.problems).length

const infos = await pool(uuids.slice(0, infoCount), 16, async (uuid) => {
  try {
    return (await client.files.info(uuid)).uuid === uuid
  } catch {
    return false
  }
})
report.info_ok = infos.filter(Boolean).length
report.info_failed = infos.length - report.info_ok

const outcomes = { ok: 0, unknown: 0, failed: 0 }
for (let i = 0; i < copies; i++) {
  try {
    await client.files.localCopy(uuids[i])
    outcomes.ok++
  } catch (error) {
    if (error instanceof OutcomeUnknownError) outcomes.unknown++
    else outcomes.failed++
  }
}
report.copies = outcomes
Object.assign(report, client.stats())
console.log(JSON.stringify(report))
