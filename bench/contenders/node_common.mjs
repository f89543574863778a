// What the Node contenders share: arguments, peak memory, and the report line.
import fs from 'node:fs'

export function args () {
  const [workload, file] = process.argv.slice(2)
  const uuids = file ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
  return { workload, uuids }
}

export const env = () => ({
  base: process.env.UPLOADCARE_API_BASE,
  publicKey: process.env.UPLOADCARE_PUBLIC_KEY,
  secretKey: process.env.UPLOADCARE_SECRET_KEY
})

export function peakRssKib () {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))
  return line ? Number(line.split(/\s+/)[1]) : 0
}

export function report (started, items, checksum = 0, firstPagePeak = 0) {
  console.log(JSON.stringify({
    seconds: (performance.now() - started) / 1000, items, checksum, peak_rss_first_page_kib: firstPagePeak, peak_rss_kib: peakRssKib()
  }))
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool (items, limit, fn) {
  const results = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i])
    }
  }))
  return results
}
