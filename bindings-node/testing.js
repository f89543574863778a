'use strict'
// A local Uploadcare for tests: the ucare emulator program on a free port.
//
// The emulator is its own npm package, `ucare-emulator` (`npm install -D ucare-emulator`),
// with the program per platform. `Emulator.start()` runs it, talks to its inspection
// endpoint (`/__emulator/`) and `stop()` ends it; the program also exits by itself when this
// process ends, since it watches its stdin.

const fs = require('node:fs')
const util = require('node:util')
const { spawn } = require('node:child_process')
const { Client } = require('./client')
const { InvalidInputError } = require('./errors')
const { requestSync } = require('./sync-http')

/** The `ucare-emulator` program is not installed. */
class EmulatorNotFoundError extends Error {
  constructor (message) {
    super(message)
    this.name = 'EmulatorNotFoundError'
  }
}

function isExecutable (file) {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * The path of the `ucare-emulator` program: `$UCARE_EMULATOR` if set, else the one the
 * `ucare-emulator` package installed for this platform.
 */
function emulatorBinary () {
  const explicit = process.env.UCARE_EMULATOR
  if (explicit) {
    if (isExecutable(explicit)) return explicit
    throw new EmulatorNotFoundError(`UCARE_EMULATOR is ${JSON.stringify(explicit)}, which is not an executable file`)
  }
  let pkg
  try {
    pkg = require('ucare-emulator')
  } catch (error) {
    if (error && error.code !== 'MODULE_NOT_FOUND') throw error
    throw new EmulatorNotFoundError('ucare/testing needs the emulator program, which is not installed: npm install -D ucare-emulator (or set UCARE_EMULATOR to its path)')
  }
  return pkg.binaryPath()
}

/** A whole number of at least 0 (and at most `max`), as the program's argument. */
function count (name, value, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new InvalidInputError(`invalid input: ${name} must be a whole number from 0 to ${max}, got ${util.inspect(value)}`)
  return String(value)
}

/** The program's arguments for the options of `Emulator.start`. */
function programArguments (o) {
  const args = ['--port', '0', '--exit-with-stdin']
  if (o.publicKey != null) args.push('--public-key', String(o.publicKey))
  if (o.projectName != null) args.push('--project-name', String(o.projectName))
  if (o.autostore != null) args.push('--autostore', o.autostore ? 'true' : 'false')
  if (o.seedFiles != null) args.push('--seed-files', count('seedFiles', o.seedFiles))
  for (const name of o.storages ?? []) args.push(`--storage=${name}`)
  if (o.rateLimit != null) args.push('--rate-limit', count('rateLimit', o.rateLimit, 2 ** 32 - 1))
  if (o.faultRate != null) {
    if (typeof o.faultRate !== 'number' || !(o.faultRate >= 0 && o.faultRate <= 1)) throw new InvalidInputError(`invalid input: faultRate must be within 0..1, got ${util.inspect(o.faultRate)}`)
    args.push('--fault-rate', String(o.faultRate))
  }
  if (o.faults != null) args.push(`--faults=${Array.from(o.faults).join(',')}`)
  if (o.slowMs != null) args.push('--slow-ms', count('slowMs', o.slowMs))
  if (o.faultSeed != null) args.push('--fault-seed', count('faultSeed', o.faultSeed))
  if (o.conversionDelayMs != null) args.push('--conversion-delay-ms', count('conversionDelayMs', o.conversionDelayMs))
  if (o.webhooksEnabled === false) args.push('--no-webhooks')
  return args
}

/**
 * A running emulator. `Emulator.start()` starts one; `stop()` ends it.
 *
 *   const emu = await Emulator.start()
 *   const uuid = emu.upload('photo.png', pngBytes)
 *   const client = emu.client()
 *   await emu.stop()
 */
class Emulator {
  #child
  #baseUrl
  #publicKey
  #secretKey

  constructor (child, baseUrl, publicKey, secretKey) {
    this.#child = child
    this.#baseUrl = baseUrl
    this.#publicKey = publicKey
    this.#secretKey = secretKey
  }

  /**
   * Starts an emulator. Options: publicKey, secretKey, projectName, autostore, seedFiles,
   * storages, rateLimit (requests/s), faultRate (0..1), faults ('500', '503', 'drop',
   * 'slow'), slowMs, faultSeed, conversionDelayMs, webhooksEnabled, startTimeoutMs (how long
   * the program may take to say it listens; 30 s).
   */
  static async start (options = {}) {
    if (options === null || typeof options !== 'object') throw new InvalidInputError('invalid input: options must be an object')
    const args = programArguments(options)
    const publicKey = options.publicKey ?? 'demopublickey'
    const secretKey = options.secretKey ?? 'demoprivatekey'
    const env = { ...process.env, UPLOADCARE_SECRET_KEY: String(secretKey) } // not on the command line `ps` shows
    delete env.UPLOADCARE_PUBLIC_KEY
    const startTimeoutMs = options.startTimeoutMs ?? 30000
    if (typeof startTimeoutMs !== 'number' || !(startTimeoutMs > 0 && startTimeoutMs <= 86400000)) {
      throw new InvalidInputError(`invalid input: startTimeoutMs must be a number of milliseconds above 0 and at most a day, got ${util.inspect(startTimeoutMs)}`)
    }
    const program = emulatorBinary()
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], env, windowsHide: true })
    let stderr = ''
    child.stderr.on('data', (chunk) => { if (stderr.length < 65536) stderr += chunk })
    const baseUrl = await new Promise((resolve, reject) => {
      // A program that never says it listens (a wrong UCARE_EMULATOR) is stopped, not waited
      // for: neither forever, nor with its output piling up.
      const fail = (why) => { child.kill('SIGKILL'); reject(new InvalidInputError(`invalid input: the emulator did not start: ${why}`)) }
      const timer = setTimeout(() => fail(`${program} said nothing in ${startTimeoutMs} ms${stderr.trim() ? `: ${stderr.trim()}` : ''}`), startTimeoutMs)
      let stdout = ''
      const onData = (chunk) => {
        stdout += chunk
        const match = /listening on (\S+)/.exec(stdout)
        if (match) {
          clearTimeout(timer)
          child.stdout.off('data', onData)
          resolve(match[1])
        } else if (stdout.length > 65536) {
          clearTimeout(timer)
          fail(`${program} printed 64 KiB without saying it listens`)
        }
      }
      child.stdout.on('data', onData)
      child.on('error', (error) => { clearTimeout(timer); reject(error) })
      child.on('exit', (code) => { clearTimeout(timer); reject(new InvalidInputError(`invalid input: the emulator did not start: ${stderr.trim() || `exit status ${code}`}`)) })
    })
    // Keep draining its output; none of it keeps this process alive.
    child.stdout.resume()
    child.removeAllListeners('exit')
    child.removeAllListeners('error')
    child.on('error', () => {})
    child.unref()
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream.unref?.()
    return new Emulator(child, baseUrl, publicKey, secretKey)
  }

  /** One call of the inspection endpoint, waited for. */
  #inspect (path, { method = 'GET', body = null, contentType = null } = {}) {
    if (this.#child.exitCode != null || this.#child.signalCode != null) throw new InvalidInputError('invalid input: the emulator was stopped')
    const answer = requestSync(`${this.#baseUrl}__emulator/${path}`, { method, body, contentType })
    if (answer.error) throw new Error(`the emulator did not answer: ${answer.error}`)
    const value = JSON.parse(answer.text)
    if (answer.status >= 400) throw new Error(value.detail ?? `the emulator answered ${answer.status}`)
    return value
  }

  /** The REST, upload and CDN root: http://127.0.0.1:<port>/. */
  get baseUrl () { return this.#baseUrl }

  /** The project's public key. */
  get publicKey () { return this.#publicKey }

  /** The project's secret key (an emulator's, for other clients pointed at it). */
  get secretKey () { return this.#secretKey }

  /** A client for this emulator (options as for Client). */
  client (options = {}) {
    return new Client({ publicKey: this.#publicKey, secretKey: this.#secretKey, baseUrl: this.baseUrl, uploadBaseUrl: this.baseUrl, ...options })
  }

  /** Uploads a file as the Upload API would (webhooks are delivered); returns its UUID. */
  upload (name, content, { store } = {}) {
    const query = new URLSearchParams({ name: String(name) })
    if (store != null) query.set('store', store ? 'true' : 'false')
    const body = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content)
    return this.#inspect(`uploads?${query}`, { method: 'POST', body, contentType: 'application/octet-stream' }).uuid
  }

  /** Makes a group of uploaded files; returns its id. */
  createGroup (uuids) {
    return this.#inspect('groups', { method: 'POST', body: JSON.stringify({ files: Array.from(uuids) }), contentType: 'application/json' }).id
  }

  /** Every webhook delivery so far: { webhookId, targetUrl, event, body, signature, status, error }. */
  get deliveries () {
    return this.#inspect('').deliveries.map((d) => ({
      webhookId: d.webhook_id, targetUrl: d.target_url, event: d.event, body: d.body, signature: d.signature, status: d.status, error: d.error
    }))
  }

  /** The REST requests received (the newest 10,000), never with credentials. */
  get requests () {
    return this.#inspect('requests').map((r) => ({
      method: r.method, uri: r.uri, contentType: r.content_type, accept: r.accept, authScheme: r.auth_scheme, userAgent: r.user_agent, body: r.body
    }))
  }

  /** Counters: requests, faultsInjected, throttled, files, storedFiles. */
  get stats () {
    const s = this.#inspect('')
    return { requests: s.requests, faultsInjected: s.faults_injected, throttled: s.throttled, files: s.files, storedFiles: s.stored_files }
  }

  /** Stops the program (SIGTERM: it removes its work directory) and waits for it to exit. */
  async stop () {
    const child = this.#child
    if (child.exitCode != null || child.signalCode != null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.ref() // the wait for its exit keeps this process alive
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000)
    await exited
    clearTimeout(timer)
  }

  [util.inspect.custom] () { return `Emulator { baseUrl: ${util.inspect(this.baseUrl)} }` }
}

module.exports = { Emulator, EmulatorNotFoundError, emulatorBinary }
