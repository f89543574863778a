// What the Node contenders share: arguments, peak memory, and the report line.
import fs from 'node:fs'

/** The workload and its inputs; options (`--name=value`) are read with `option`. */
export function args () {
  const [workload, file] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  const uuids = file ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
  return { workload, uuids }
}

/** `--name=value` from the command line. */
export function option (name, fallback) {
  const found = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))
  return found ? found.slice(name.length + 3) : fallback
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
