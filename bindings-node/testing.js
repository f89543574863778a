'use strict'
// A local Uploadcare for tests: the ucare emulator, in-process on a free port.

const util = require('node:util')
const addon = require('./native')
const { Client } = require('./client')
const { fromNative, native } = require('./errors')

/**
 * A running emulator. `Emulator.start()` starts one; `stop()` ends it.
 *
 *   const emu = await Emulator.start()
 *   const uuid = emu.upload('photo.png', pngBytes)
 *   const client = emu.client()
 *   await emu.stop()
 */
class Emulator {
  #native

  constructor (nativeEmulator) {
    this.#native = nativeEmulator
  }

  /**
   * Starts an emulator. Options: publicKey, secretKey, projectName, autostore, seedFiles,
   * storages, rateLimit (requests/s), faultRate (0..1), faults ('500', '503', 'drop',
   * 'slow'), slowMs, faultSeed, conversionDelayMs, webhooksEnabled.
   */
  static async start (options = {}) {
    const o = {
      public_key: options.publicKey,
      secret_key: options.secretKey,
      project_name: options.projectName,
      autostore: options.autostore,
      seed_files: options.seedFiles,
      storages: options.storages,
      rate_limit: options.rateLimit,
      fault_rate: options.faultRate,
      faults: options.faults,
      slow: options.slowMs == null ? undefined : options.slowMs / 1000,
      fault_seed: options.faultSeed,
      conversion_delay: options.conversionDelayMs == null ? undefined : options.conversionDelayMs / 1000,
      webhooks_enabled: options.webhooksEnabled
    }
    try {
      return new Emulator(await addon.startEmulator(JSON.stringify(o)))
    } catch (error) {
      throw fromNative(error)
    }
  }

  /** The REST, upload and CDN root: http://127.0.0.1:<port>/. */
  get baseUrl () { return this.#native.baseUrl }

  /** The project's public key. */
  get publicKey () { return this.#native.publicKey }

  /** The project's secret key (an emulator's, for other clients pointed at it). */
  get secretKey () { return this.#native.secretKey }

  /** A client for this emulator (options as for Client). */
  client (options = {}) {
    return new Client({ publicKey: this.#native.publicKey, secretKey: this.#native.secretKey, baseUrl: this.baseUrl, uploadBaseUrl: this.baseUrl, ...options })
  }

  /** Uploads a file as the Upload API would (webhooks are delivered); returns its UUID. */
  upload (name, content, { store } = {}) {
    const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content)
    return native(() => this.#native.upload(name, bytes, store ?? null))
  }

  /** Makes a group of uploaded files; returns its id. */
  createGroup (uuids) {
    const id = native(() => this.#native.createGroup(Array.from(uuids)))
    if (id == null) throw new Error('every UUID must be a file of the emulator')
    return id
  }

  /** Every webhook delivery so far: { webhookId, targetUrl, event, body, signature, status, error }. */
  get deliveries () {
    return JSON.parse(native(() => this.#native.deliveries())).map((d) => ({
      webhookId: d.webhook_id, targetUrl: d.target_url, event: d.event, body: d.body, signature: d.signature, status: d.status, error: d.error
    }))
  }

  /** The REST requests received (the newest 10,000), never with credentials. */
  get requests () {
    return JSON.parse(native(() => this.#native.requests())).map((r) => ({
      method: r.method, uri: r.uri, contentType: r.content_type, accept: r.accept, authScheme: r.auth_scheme, userAgent: r.user_agent, body: r.body
    }))
  }

  /** Counters: requests, faultsInjected, throttled, files, storedFiles. */
  get stats () {
    const s = JSON.parse(native(() => this.#native.stats()))
    return { requests: s.requests, faultsInjected: s.faults_injected, throttled: s.throttled, files: s.files, storedFiles: s.stored_files }
  }

  /** Stops serving. */
  async stop () { await this.#native.stop() }

  [util.inspect.custom] () { return `Emulator { baseUrl: ${util.inspect(this.baseUrl)} }` }
}

module.exports = { Emulator }
