'use strict'
// The client. Every request goes through the Rust core; this layer names arguments in
// camelCase, converts answers to plain objects with Dates, and maps errors to classes.

const util = require('node:util')
const addon = require('./native')
const models = require('./models')
const { InvalidInputError, fromNative, native } = require('./errors')

const DEFAULT_BASE_URL = 'https://api.uploadcare.com/'

/** Calls an operation of the core and parses its JSON answer. */
async function call (nativeClient, op, args) {
  let answer
  try {
    answer = await nativeClient.call(op, JSON.stringify(args))
  } catch (error) {
    throw fromNative(error)
  }
  return JSON.parse(answer)
}

function fromArg (args, from) {
  if (from == null) return args
  if (from instanceof Date) {
    if (Number.isNaN(from.getTime())) throw new InvalidInputError('invalid input: from is an invalid Date')
    args.from_datetime = from.toISOString()
  } else if (Number.isSafeInteger(from) && from >= 0) {
    args.from_size = from
  } else {
    throw new InvalidInputError('invalid input: from must be a Date or a size in bytes')
  }
  return args
}

function uuidList (uuids) {
  if (typeof uuids === 'string' || uuids == null || typeof uuids[Symbol.iterator] !== 'function') {
    throw new InvalidInputError('invalid input: pass an array (or iterable) of UUIDs')
  }
  return Array.from(uuids)
}

function seconds (ms, name) {
  if (ms == null) return null
  if (typeof ms !== 'number' || !(ms > 0) || !Number.isFinite(ms)) throw new InvalidInputError(`invalid input: ${name} must be a positive number of milliseconds`)
  return ms / 1000
}

/**
 * A lazy listing: `for await` gives items, `pages()` whole pages; one page is fetched at a
 * time. `total` is known once the first page is in (or `await listing.getTotal()`).
 */
class Listing {
  #pager
  #wrap
  #pending = []
  #total = null

  constructor (pager, wrap) {
    this.#pager = pager
    this.#wrap = wrap
  }

  async #fetch () {
    if (this.#pending.length) return this.#pending.shift()
    let text
    try {
      text = await this.#pager.nextPage()
    } catch (error) {
      throw fromNative(error)
    }
    if (text == null) return null
    const page = models.page(JSON.parse(text), this.#wrap)
    this.#total = page.total
    return page
  }

  /** How many items match, once the first page was fetched; null before. */
  get total () {
    return this.#total
  }

  /** How many items match, fetching the first page if needed. */
  async getTotal () {
    if (this.#total == null) {
      const page = await this.#fetch()
      if (page) this.#pending.push(page)
    }
    return this.#total ?? 0
  }

  /** The remaining pages. */
  async * pages () {
    for (;;) {
      const page = await this.#fetch()
      if (page == null) return
      yield page
    }
  }

  /** The remaining items, across pages. */
  async * [Symbol.asyncIterator] () {
    for await (const page of this.pages()) yield * page.results
  }

  /** Collects every remaining item into an array (mind the memory for big projects). */
  async toArray () {
    const items = []
    for await (const item of this) items.push(item)
    return items
  }
}

class Files {
  #client
  constructor (client) { this.#client = client }

  /**
   * Every matching file, page by page. `ordering`: datetime_uploaded (default),
   * -datetime_uploaded, size, -size; `from`: a Date or a size to start at; `limit` 1..1000.
   */
  list ({ stored, removed, limit, ordering, from } = {}) {
    const args = fromArg({ stored, removed, limit, ordering }, from)
    const pager = native(() => this.#client.pager('files', JSON.stringify(args)))
    return new Listing(pager, models.file)
  }

  /** One file. */
  async info (uuid) { return models.file(await call(this.#client, 'files.info', { uuid })) }
  /** Stores a file: it is kept permanently. */
  async store (uuid) { return models.file(await call(this.#client, 'files.store', { uuid })) }
  /** Removes a file. */
  async delete (uuid) { return models.file(await call(this.#client, 'files.delete', { uuid })) }
  /** Stores any number of files (sent 100 at a time); every problem is reported. */
  async storeMany (uuids) { return models.batch(await call(this.#client, 'files.store_many', { uuids: uuidList(uuids) })) }
  /** Removes any number of files (sent 100 at a time); every problem is reported. */
  async deleteMany (uuids) { return models.batch(await call(this.#client, 'files.delete_many', { uuids: uuidList(uuids) })) }
  /** Copies a file (UUID or CDN URL) within the project; never repeated if the answer is lost. */
  async copy (source, { store } = {}) { return models.file(await call(this.#client, 'files.copy', { source, store })) }
  /** Copies a file to the custom storage `target`; resolves to the copy's URL. */
  async copyToStorage (source, { target, makePublic, pattern } = {}) {
    return call(this.#client, 'files.copy_to_storage', { source, target, make_public: makePublic, pattern })
  }
}

class Groups {
  #client
  constructor (client) { this.#client = client }

  /** Every group, page by page; `ordering` datetime_created or -datetime_created. */
  list ({ limit, ordering, from } = {}) {
    const args = { limit, ordering }
    if (from != null) {
      if (!(from instanceof Date)) throw new InvalidInputError('invalid input: from must be a Date')
      fromArg(args, from)
    }
    const pager = native(() => this.#client.pager('groups', JSON.stringify(args)))
    return new Listing(pager, models.group)
  }

  /** One group with its files. */
  async info (groupId) { return models.group(await call(this.#client, 'groups.info', { group_id: groupId })) }
  /** Stores every file of a group. */
  async store (groupId) { return models.group(await call(this.#client, 'groups.store', { group_id: groupId })) }
}

class Webhooks {
  #client
  constructor (client) { this.#client = client }

  /** Every subscription. */
  async list () { return (await call(this.#client, 'webhooks.list', {})).map(models.webhook) }

  /** Subscribes `targetUrl`; `signingSecret` (up to 32 characters) signs deliveries. */
  async create (targetUrl, { event = 'file.uploaded', isActive = true, signingSecret, version } = {}) {
    const args = { target_url: targetUrl, event, is_active: isActive, signing_secret: signingSecret, version }
    return models.webhook(await call(this.#client, 'webhooks.create', args))
  }

  /** Changes a subscription; fields left out stay as they are. */
  async update (id, { targetUrl, event, isActive, signingSecret } = {}) {
    const args = { id, target_url: targetUrl, event, is_active: isActive, signing_secret: signingSecret }
    return models.webhook(await call(this.#client, 'webhooks.update', args))
  }

  /** Unsubscribes `targetUrl`. */
  async delete (targetUrl) { await call(this.#client, 'webhooks.delete', { target_url: targetUrl }) }
}

function specs (conversions) {
  const items = Array.isArray(conversions) ? conversions : [conversions]
  for (const item of items) {
    if (item == null || typeof item !== 'object') throw new InvalidInputError('invalid input: a conversion is an object with a uuid')
  }
  return items
}

function videoSpec ({ uuid, format, quality, size, cut, thumbs }) {
  return {
    uuid,
    format,
    quality,
    size: size == null ? null : [size.width, size.height, size.mode ?? null],
    cut: cut == null ? null : [cut.start, cut.length],
    thumbs
  }
}

function jobArgs (job, kind) {
  if (job != null && typeof job === 'object') return { kind: kind ?? job.kind, token: job.token }
  if (Number.isSafeInteger(job)) return { kind: kind ?? 'document', token: job }
  throw new InvalidInputError('invalid input: pass a conversion job or its token')
}

class Conversions {
  #client
  constructor (client) { this.#client = client }

  /** Starts document conversions (`{ uuid, format, page }` each); refused paths are in `problems`. */
  async document (conversions, { store } = {}) {
    const args = { conversions: specs(conversions).map(({ uuid, format, page }) => ({ uuid, format, page })), store }
    return models.conversionResponse(await call(this.#client, 'conversions.document', args), 'document')
  }

  /** Starts video conversions (`{ uuid, format, quality, size: { width, height, mode }, cut: { start, length }, thumbs }`). */
  async video (conversions, { store } = {}) {
    const args = { conversions: specs(conversions).map(videoSpec), store }
    return models.conversionResponse(await call(this.#client, 'conversions.video', args), 'video')
  }

  /** A job's status, by the job or its token (`kind` 'document' or 'video' for a token). */
  async status (job, { kind } = {}) {
    return models.conversionStatus(await call(this.#client, 'conversions.status', jobArgs(job, kind)))
  }

  /** Polls a job until it is finished, failed or cancelled; TimeoutError after `timeoutMs`. */
  async wait (job, { timeoutMs = 300000, kind } = {}) {
    const args = { ...jobArgs(job, kind), timeout: seconds(timeoutMs, 'timeoutMs') }
    return models.conversionStatus(await call(this.#client, 'conversions.wait', args))
  }

  /** The path a document conversion sends (checked by the core). */
  documentPath ({ uuid, format, page }) { return native(() => addon.documentPath(JSON.stringify({ uuid, format, page }))) }

  /** The path a video conversion sends (checked by the core). */
  videoPath (spec) { return native(() => addon.videoPath(JSON.stringify(videoSpec(spec)))) }
}

/**
 * A client for the Uploadcare REST API. Requests are signed by default; every request has a
 * timeout; idempotent requests are retried, throttled ones after Retry-After. Every method
 * returns a Promise and never blocks the event loop.
 */
class Client {
  #native
  #publicKey
  #baseUrl

  constructor ({ publicKey, secretKey, auth = 'signed', baseUrl = DEFAULT_BASE_URL, apiVersion = '0.5', timeoutMs = 30000, maxRetries = 3, userAgentSuffix } = {}) {
    const options = {
      public_key: publicKey,
      secret_key: secretKey,
      auth,
      base_url: baseUrl,
      api_version: apiVersion,
      timeout: seconds(timeoutMs, 'timeoutMs'),
      max_retries: maxRetries,
      user_agent_suffix: userAgentSuffix
    }
    this.#native = native(() => new addon.NativeClient(JSON.stringify(options)))
    this.#publicKey = publicKey
    this.#baseUrl = baseUrl
    /** Files: list, info, store, delete, batches, copies. */
    this.files = new Files(this.#native)
    /** Groups: list, info, store. */
    this.groups = new Groups(this.#native)
    /** Webhook subscriptions. */
    this.webhooks = new Webhooks(this.#native)
    /** Document and video conversions. */
    this.conversions = new Conversions(this.#native)
  }

  /** A client from UPLOADCARE_PUBLIC_KEY, UPLOADCARE_SECRET_KEY and UPLOADCARE_API_BASE. */
  static fromEnv (overrides = {}) {
    const { UPLOADCARE_PUBLIC_KEY: publicKey, UPLOADCARE_SECRET_KEY: secretKey, UPLOADCARE_API_BASE: baseUrl } = process.env
    if (!publicKey || !secretKey) throw new InvalidInputError('invalid input: UPLOADCARE_PUBLIC_KEY and UPLOADCARE_SECRET_KEY must be set')
    return new Client({ publicKey, secretKey, ...(baseUrl ? { baseUrl } : {}), ...overrides })
  }

  /** The project these keys belong to. */
  async project () { return models.project(await call(this.#native, 'project', {})) }

  /** How many requests and retries this client has made. */
  stats () { return JSON.parse(this.#native.stats()) }

  /** The public key this client uses. */
  get publicKey () { return this.#publicKey }

  /** The API root this client talks to. */
  get baseUrl () { return this.#baseUrl }

  [util.inspect.custom] () {
    return `Client { publicKey: ${util.inspect(this.#publicKey)}, baseUrl: ${util.inspect(this.#baseUrl)} }`
  }

  toJSON () { return { publicKey: this.#publicKey, baseUrl: this.#baseUrl } }
}

module.exports = { Client, Listing, DEFAULT_BASE_URL }
