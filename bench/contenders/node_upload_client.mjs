// The official Node upload client (@uploadcare/upload-client from npm), used as its docs
// show: uploadFile with the file's bytes (multipart above its 25 MiB threshold).
import fs from 'node:fs'
import { uploadFile } from '@uploadcare/upload-client'
import { args, env, pool, report } from './node_common.mjs'

const { workload, uuids } = args()
const { base, publicKey } = env()
const baseURL = base.replace(/\/$/, '')
const started = performance.now()
if (workload === 'upload-big') {
  const file = await uploadFile(fs.readFileSync(uuids[0]), { publicKey, baseURL, fileName: 'big.bin', contentType: 'application/octet-stream' })
  report(started, 1, file.size)
} else if (workload === 'upload-many') {
  const sizes = await pool(uuids, 16, async (path) => (await uploadFile(fs.readFileSync(path), { publicKey, baseURL, fileName: 'small.bin' })).size)
  report(started, sizes.length, sizes.reduce((a, b) => a + b, 0))
} else {
  throw new Error(`the upload client does not do ${workload}`)
}
