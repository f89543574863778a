'use strict'
// The client. Every request goes through the Rust core; this layer names arguments in
// camelCase, converts answers to plain objects with Dates, and maps errors to classes.

const util = require('node:util')
const addon = require('./native')
const models = require('./models')
const { AbortError, DecodeError, InvalidInputError, NotFoundError, fromDescription, fromNative, native } = require('./errors')

const DEFAULT_BASE_URL = 'https://api.uploadcare.com/'

/**
 * A user's callback as the native module calls it: an exception it throws is reported as a
 * process warning instead of reaching the event loop uncaught, which would end the process.
 */
function reported (callback, name) {
  if (callback == null) return undefined
  return (...args) => {
    try {
      callback(...args)
    } catch (error) {
      process.emitWarning(`ucare: the ${name} callback threw: ${error && error.message}`, { type: 'UcareCallbackWarning', detail: error && error.stack })
    }
  }
}

/** With UCARE_LOG=debug, the request log goes to stderr (when no onRequest is given). */
function stderrLog () {
  if ((process.env.UCARE_LOG ?? '').toLowerCase() !== 'debug') return undefined
  return ({ method, path, status, attempt, elapsedMs, error }) => {
    process.stderr.write(`ucare: ${method} ${path} ${status ?? `failed: ${error}`} (attempt ${attempt}, ${elapsedMs.toFixed(1)} ms)\n`)
  }
}

/**
 * Arguments as JSON for the core. What JSON cannot carry faithfully is refused here, before
 * anything is sent, with the name of the argument: NaN and infinities (JSON.stringify would
 * turn them into null and the default would be used), BigInts, cycles, absurd nesting.
 */
function toJson (args) {
  const replacer = function (key, value) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new InvalidInputError(`invalid input: ${key || 'argument'} must be a finite number, got ${value}`)
    if (typeof value === 'bigint') throw new InvalidInputError(`invalid input: ${key || 'argument'} is a BigInt; pass a number`)
    return value
  }
  try {
    return JSON.stringify(args, replacer)
  } catch (error) {
    if (error instanceof InvalidInputError) throw error
    // A cycle (TypeError), nesting past the stack (RangeError), or a toJSON that threw.
    throw new InvalidInputError(`invalid input: the arguments cannot be sent (${error && error.message})`, { cause: error })
  }
}

/** One native cancel token per AbortSignal, fired by the signal's abort event. */
const tokens = new WeakMap()

function cancelToken (signal) {
  if (signal == null) return undefined
  if (typeof signal !== 'object' || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new InvalidInputError('invalid input: signal must be an AbortSignal')
  }
  if (signal.aborted) throw new AbortError('the operation was aborted', { cause: signal.reason })
  let token = tokens.get(signal)
  if (token == null) {
    const created = new addon.CancelToken()
    signal.addEventListener('abort', () => created.cancel(), { once: true })
    tokens.set(signal, created)
    token = created
  }
  return token
}

/**
 * One call's options as the core takes them: `timeoutMs` and `maxRetries` for this call
 * only (the client's otherwise), or undefined when there are none.
 */
function callOptions (options) {
  const { timeoutMs, maxRetries } = options ?? {}
  if (timeoutMs == null && maxRetries == null) return undefined
  return toJson({ timeout: seconds(timeoutMs, 'timeoutMs'), max_retries: maxRetries })
}

/**
 * Calls an operation of the core and parses its JSON answer; `options` are the method's
 * own (`signal` aborts it; `timeoutMs`, `maxRetries` apply to it alone).
 */
async function call (nativeClient, op, args, options) {
  const o = opts(options)
  return JSON.parse(await settle(() => nativeClient.call(op, toJson(args), callOptions(o), cancelToken(o.signal))))
}

/** A batch store (`store`) or delete, its files handed over packed. */
async function fileBatch (nativeClient, uuids, store, options) {
  const o = opts(options)
  const text = await settle(() => nativeClient.fileBatch(toJson({ uuids }), store, callOptions(o), cancelToken(o.signal)))
  return models.packedBatch(JSON.parse(text))
}

/**
 * Awaits a native call. Its Promise resolves to the answer, or to `{ failure }` (the error
 * as a structured value: kind, status, detail, retryAfter, fields, batch), which is thrown
 * here as the matching error class; what the call throws synchronously (refused input) is
 * mapped too.
 */
async function settle (start) {
  let outcome
  try {
    outcome = await start()
  } catch (error) {
    throw fromNative(error)
  }
  if (outcome !== null && typeof outcome === 'object' && 'failure' in outcome) throw fromDescription(outcome.failure)
  return outcome
}

/** Options objects are optional; anything else where one belongs is refused. */
function opts (value, name = 'options') {
  if (value == null) return {}
  if (typeof value !== 'object') throw new InvalidInputError(`invalid input: ${name} must be an object`)
  return value
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

/** Milliseconds as the seconds the core takes; the core checks the range. */
function seconds (ms, name) {
  if (ms == null) return null
  if (typeof ms !== 'number' || !Number.isFinite(ms) || !(ms > 0)) {
    throw new InvalidInputError(`invalid input: ${name} must be a positive, finite number of milliseconds, got ${typeof ms === 'number' ? ms : typeof ms}`)
  }
  return ms / 1000
}

/**
 * A lazy listing: `for await` gives items, `pages()` whole pages; one page is fetched at a
 * time. `total` is known once the first page is in (or `await listing.getTotal()`).
 */
class Listing {
  #pager
  #decode
  #pending = []
  #total = null
  #ahead = null

  #signal

  /** `decode` turns the parsed JSON of a page into the page of models. */
  constructor (pager, decode, signal) {
    this.#pager = pager
    this.#decode = decode
    this.#signal = signal
  }

  /** Asks the addon for the next page's text; a failure is kept for whoever awaits it. */
  #request () {
    const text = settle(() => this.#pager.nextPage(cancelToken(this.#signal)))
    text.catch(() => {})
    return text
  }

  async #fetch () {
    if (this.#pending.length) return this.#pending.shift()
    const asked = this.#ahead ?? this.#request()
    this.#ahead = null
    const text = await asked
    if (text == null) return null
    // The page after this one is asked for now, so that the addon hands it over (and packs
    // it) while the caller works on this one; the addon already fetches it ahead.
    this.#ahead = this.#request()
    let page
    try {
      page = this.#decode(JSON.parse(text))
    } catch (error) {
      // The core checked the page against its models; should it still not read, that is a
      // DecodeError like any bad answer.
      throw new DecodeError(`could not decode the page (status 200): ${error.message}`, { status: 200, snippet: text.slice(0, 200), cause: error })
    }
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
   * -datetime_uploaded, or in v0.5 size, -size; `from`: a Date (or in v0.5 a size) to start
   * at; `limit` 1..1000; `includeAppdata` (v0.7) adds what add-ons wrote; `signal` aborts
   * a page fetch in progress.
   */
  list (options) {
    const o = opts(options)
    const { stored, removed, limit, ordering, from, includeAppdata, signal } = o
    const args = fromArg({ stored, removed, limit, ordering, include_appdata: includeAppdata }, from)
    cancelToken(signal)
    const pager = native(() => this.#client.pager('files', toJson(args), callOptions(o)))
    return new Listing(pager, models.packedFilePage, signal)
  }

  /** One file; `includeAppdata` (v0.7) adds what add-ons wrote. */
  async info (uuid, options) {
    const { includeAppdata } = opts(options)
    return models.file(await call(this.#client, 'files.info', { uuid, include_appdata: includeAppdata || undefined }, options))
  }

  /** Stores a file: it is kept permanently. */
  async store (uuid, options) {
    return models.file(await call(this.#client, 'files.store', { uuid }, options))
  }

  /** Removes a file. */
  async delete (uuid, options) {
    return models.file(await call(this.#client, 'files.delete', { uuid }, options))
  }

  /**
   * Stores any number of files (sent 100 at a time); every problem is reported. When a
   * request fails the error carries `batch`: what was done and which ids are left.
   */
  async storeMany (uuids, options) {
    return fileBatch(this.#client, uuidList(uuids), true, options)
  }

  /** Removes any number of files (sent 100 at a time); see `storeMany`. */
  async deleteMany (uuids, options) {
    return fileBatch(this.#client, uuidList(uuids), false, options)
  }

  /** Copies a file (UUID or CDN URL with operations) within the project (v0.7); never repeated if the answer is lost. */
  async localCopy (source, options) {
    const { store, metadata } = opts(options)
    return models.file(await call(this.#client, 'files.local_copy', { source, store, metadata }, options))
  }

  /** Copies a file to the custom storage `target` (v0.7); resolves to `{ url, created }`. */
  async remoteCopy (source, options) {
    const { target, makePublic, pattern } = opts(options)
    return models.remoteCopy(await call(this.#client, 'files.remote_copy', { source, target, make_public: makePublic, pattern }, options))
  }

  /** Copies a file within the project (v0.5; v0.7: `localCopy`). */
  async copy (source, options) {
    const { store } = opts(options)
    return models.file(await call(this.#client, 'files.copy', { source, store }, options))
  }

  /** Copies a file to the custom storage `target` (v0.5; v0.7: `remoteCopy`); resolves to the copy's URL. */
  async copyToStorage (source, options) {
    const { target, makePublic, pattern } = opts(options)
    return call(this.#client, 'files.copy_to_storage', { source, target, make_public: makePublic, pattern }, options)
  }

  /** A file's metadata (v0.7): `get`, `set`, `delete`, `all`; every method is a request. */
  metadata (uuid) {
    return new FileMetadata(this.#client, uuid)
  }
}

/** A file's metadata (v0.7). */
class FileMetadata {
  #client
  #uuid
  constructor (client, uuid) {
    this.#client = client
    this.#uuid = uuid
  }

  /** Every key and value. */
  async all (options) {
    return call(this.#client, 'metadata.list', { uuid: this.#uuid }, options)
  }

  /** One key's value, or undefined when it is not set. */
  async get (key, options) {
    try {
      return await call(this.#client, 'metadata.get', { uuid: this.#uuid, key }, options)
    } catch (error) {
      if (error instanceof NotFoundError) return undefined
      throw error
    }
  }

  /** Sets a key; resolves to 'created' or 'replaced'. */
  async set (key, value, options) {
    return call(this.#client, 'metadata.set', { uuid: this.#uuid, key, value }, options)
  }

  /** Removes a key; resolves to false when it was not set. */
  async delete (key, options) {
    try {
      await call(this.#client, 'metadata.delete', { uuid: this.#uuid, key }, options)
      return true
    } catch (error) {
      if (error instanceof NotFoundError) return false
      throw error
    }
  }
}

/** `client.addons` (v0.7): start a run, ask its status, wait; results land in the file's `appdata`. */
class Addons {
  #client
  constructor (client) { this.#client = client }

  /** Starts `addon` on a file; never repeated if the answer is lost. */
  async run (addon, uuid, options) {
    const { params } = opts(options)
    return models.addonRun(await call(this.#client, 'addons.run', { addon, uuid, params }, options))
  }

  /** Labels what an image shows (AWS Rekognition). */
  async detectLabels (uuid, options) { return this.run('aws_rekognition_detect_labels', uuid, options) }

  /** Moderation labels for an image (AWS Rekognition). */
  async detectModerationLabels (uuid, options) { return this.run('aws_rekognition_detect_moderation_labels', uuid, options) }

  /** Removes an image's background (remove.bg): `crop`, `cropMargin`, `scale`, `addShadow`, `typeLevel`, `type`, `semitransparency`, `channels`, `roi`, `position`. */
  async removeBg (uuid, options) {
    const { crop, cropMargin, scale, addShadow, typeLevel, type, semitransparency, channels, roi, position } = opts(options)
    const params = Object.fromEntries(Object.entries({
      crop, crop_margin: cropMargin, scale, add_shadow: addShadow, type_level: typeLevel, type, semitransparency, channels, roi, position
    }).filter(([, v]) => v !== undefined))
    return this.run('remove_bg', uuid, { ...opts(options), params })
  }

  /** Scans a file for viruses (ClamAV); `purgeInfected` removes an infected file. */
  async virusScan (uuid, options) {
    const { purgeInfected } = opts(options)
    const params = purgeInfected === undefined ? undefined : { purge_infected: purgeInfected }
    return this.run('uc_clamav_virus_scan', uuid, { ...opts(options), params })
  }

  /** A run's status. */
  async status (run, options) {
    return models.addonStatus(await call(this.#client, 'addons.status', runArgs(run), options))
  }

  /** Polls a run until it is done, failed or unknown; TimeoutError after `waitMs` (300000). */
  async wait (run, options) {
    const { waitMs = 300000 } = opts(options)
    return models.addonStatus(await call(this.#client, 'addons.wait', { ...runArgs(run), timeout: seconds(waitMs, 'waitMs') }, options))
  }
}

function runArgs (run) {
  if (run == null || typeof run !== 'object') throw new InvalidInputError('invalid input: pass an add-on run')
  return { addon: run.addon, request_id: run.requestId }
}

class Groups {
  #client
  constructor (client) { this.#client = client }

  /** Every group, page by page; `ordering` datetime_created or -datetime_created. */
  list (options) {
    const o = opts(options)
    const { limit, ordering, from, signal } = o
    const args = { limit, ordering }
    if (from != null) {
      if (!(from instanceof Date)) throw new InvalidInputError('invalid input: from must be a Date')
      fromArg(args, from)
    }
    cancelToken(signal)
    const pager = native(() => this.#client.pager('groups', toJson(args), callOptions(o)))
    return new Listing(pager, (d) => models.page(d, models.group), signal)
  }

  /** One group with its files. */
  async info (groupId, options) {
    return models.group(await call(this.#client, 'groups.info', { group_id: groupId }, options))
  }

  /** Removes a group, not its files (v0.7). */
  async delete (groupId, options) {
    await call(this.#client, 'groups.delete', { group_id: groupId }, options)
  }

  /** Stores every file of a group (v0.5). */
  async store (groupId, options) {
    return models.group(await call(this.#client, 'groups.store', { group_id: groupId }, options))
  }

  /** Makes a group of uploaded files (uuids, CDN URLs with operations, or File objects; 1 to 1000, in order) through the Upload API. */
  async create (files, options) {
    const { signal } = opts(options)
    if (typeof files === 'string' || files == null || typeof files[Symbol.iterator] !== 'function') {
      throw new InvalidInputError('invalid input: files must be an iterable of uuids, CDN URLs or File objects')
    }
    const chosen = []
    for (const item of files) {
      if (chosen.length > 1000) break // the core refuses more than 1000; an endless iterable stops here
      if (typeof item === 'string') chosen.push(item)
      else if (item !== null && typeof item === 'object' && typeof item.uuid === 'string') chosen.push(item.uuid)
      else throw new InvalidInputError('invalid input: a group member must be a uuid, a CDN URL or a File')
    }
    return models.group(JSON.parse(await settle(() => this.#client.createGroup(chosen, cancelToken(signal)))))
  }
}

class Webhooks {
  #client
  constructor (client) { this.#client = client }

  /** Every subscription. */
  async list (options) {
    return (await call(this.#client, 'webhooks.list', {}, options)).map(models.webhook)
  }

  /** Subscribes `targetUrl` to `event`; `signingSecret` (up to 32 characters) signs deliveries; `version` (v0.5 only). */
  async create (targetUrl, options) {
    const { event = 'file.uploaded', isActive = true, signingSecret, version } = opts(options)
    const args = { target_url: targetUrl, event, is_active: isActive, signing_secret: signingSecret, version }
    return models.webhook(await call(this.#client, 'webhooks.create', args, options))
  }

  /** Changes a subscription; fields left out stay as they are. */
  async update (id, changes) {
    const { targetUrl, event, isActive, signingSecret } = opts(changes, 'changes')
    const args = { id, target_url: targetUrl, event, is_active: isActive, signing_secret: signingSecret }
    return models.webhook(await call(this.#client, 'webhooks.update', args, changes))
  }

  /** Unsubscribes `targetUrl`. */
  async delete (targetUrl, options) {
    await call(this.#client, 'webhooks.delete', { target_url: targetUrl }, options)
  }
}

function specs (conversions) {
  const items = Array.isArray(conversions) ? conversions : [conversions]
  for (const item of items) {
    if (item == null || typeof item !== 'object') throw new InvalidInputError('invalid input: a conversion is an object with a uuid')
  }
  return items
}

function videoSpec (spec) {
  const { uuid, format, quality, size, cut, thumbs } = opts(spec, 'a video conversion')
  return {
    uuid,
    format,
    quality,
    size: size == null ? null : [opts(size, 'size').width, size.height, size.mode ?? null],
    cut: cut == null ? null : [opts(cut, 'cut').start, cut.length],
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

  /**
   * Starts document conversions (`{ uuid, format, page }` each); refused paths are in
   * `problems`. `saveInGroup` (v0.7) saves a multi-page result as a group.
   */
  async document (conversions, options) {
    const { store, saveInGroup } = opts(options)
    const args = { conversions: specs(conversions).map(({ uuid, format, page }) => ({ uuid, format, page })), store, save_in_group: saveInGroup }
    return models.conversionResponse(await call(this.#client, 'conversions.document', args, options), 'document')
  }

  /** Starts video conversions (`{ uuid, format, quality, size: { width, height, mode }, cut: { start, length }, thumbs }`). */
  async video (conversions, options) {
    const { store } = opts(options)
    const args = { conversions: specs(conversions).map(videoSpec), store }
    return models.conversionResponse(await call(this.#client, 'conversions.video', args, options), 'video')
  }

  /** A job's status, by the job or its token (`kind` 'document' or 'video' for a token). */
  async status (job, options) {
    const { kind } = opts(options)
    return models.conversionStatus(await call(this.#client, 'conversions.status', jobArgs(job, kind), options))
  }

  /** Polls a job until it is finished, failed or cancelled; TimeoutError after `waitMs` (300000). */
  async wait (job, options) {
    const { waitMs = 300000, kind } = opts(options)
    const args = { ...jobArgs(job, kind), timeout: seconds(waitMs, 'waitMs') }
    return models.conversionStatus(await call(this.#client, 'conversions.wait', args, options))
  }

  /** A document's format, what it converts to, and the groups conversions made (v0.7). */
  async documentInfo (uuid, options) {
    return models.documentInfo(await call(this.#client, 'conversions.document_info', { uuid }, options))
  }

  /** The path a document conversion sends (checked by the core). */
  documentPath (conversion) {
    const { uuid, format, page } = opts(conversion, 'a document conversion')
    return native(() => addon.documentPath(toJson({ uuid, format, page })))
  }

  /** The path a video conversion sends (checked by the core). */
  videoPath (spec) { return native(() => addon.videoPath(toJson(videoSpec(spec)))) }
}

/** What the core takes for an upload source: a Buffer, or a path (streamed from disk). */
async function uploadSource (source) {
  if (typeof source === 'string') return source
  if (Buffer.isBuffer(source)) return source
  if (source instanceof Uint8Array) return Buffer.from(source.buffer, source.byteOffset, source.byteLength)
  if (source != null && typeof source[Symbol.asyncIterator] === 'function') {
    // A Readable (or any async iterable of chunks): read whole, then sent.
    const chunks = []
    for await (const chunk of source) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk))
    return Buffer.concat(chunks)
  }
  throw new InvalidInputError('invalid input: an upload source is a Buffer, a Uint8Array, a path or a readable stream')
}

function uploadArgs ({ name, contentType, store, metadata, multipartMinSize, partConcurrency } = {}) {
  return toJson({ name, content_type: contentType, store, metadata, multipart_min_size: multipartMinSize, part_concurrency: partConcurrency })
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

  constructor (options) {
    const {
      publicKey, secretKey, auth = 'signed', baseUrl = DEFAULT_BASE_URL, apiVersion = '0.7', timeoutMs = 30000, maxRetries = 3, userAgentSuffix,
      maxResponseBytes, uploadBaseUrl, onRequest, caBundle, proxy
    } = opts(options)
    if (onRequest != null && typeof onRequest !== 'function') throw new InvalidInputError('invalid input: onRequest must be a function')
    const nativeOptions = {
      public_key: publicKey,
      secret_key: secretKey,
      auth,
      base_url: baseUrl,
      api_version: apiVersion,
      timeout: seconds(timeoutMs, 'timeoutMs'),
      max_retries: maxRetries,
      user_agent_suffix: userAgentSuffix,
      max_response_bytes: maxResponseBytes,
      upload_base_url: uploadBaseUrl,
      ca_bundle: caBundle,
      proxy
    }
    const json = toJson(nativeOptions)
    this.#native = native(() => new addon.NativeClient(json, reported(onRequest ?? stderrLog(), 'onRequest')))
    this.#publicKey = publicKey
    this.#baseUrl = baseUrl
    /** Files: list, info, store, delete, batches, copies, metadata. */
    this.files = new Files(this.#native)
    /** Add-ons (v0.7). */
    this.addons = new Addons(this.#native)
    /** Groups: list, info, create, delete (v0.7), store (v0.5). */
    this.groups = new Groups(this.#native)
    /** Webhook subscriptions. */
    this.webhooks = new Webhooks(this.#native)
    /** Document and video conversions. */
    this.conversions = new Conversions(this.#native)
  }

  /** A client from UPLOADCARE_PUBLIC_KEY, UPLOADCARE_SECRET_KEY, UPLOADCARE_API_BASE and UPLOADCARE_UPLOAD_BASE. */
  static fromEnv (overrides = {}) {
    const { UPLOADCARE_PUBLIC_KEY: publicKey, UPLOADCARE_SECRET_KEY: secretKey, UPLOADCARE_API_BASE: baseUrl, UPLOADCARE_UPLOAD_BASE: uploadBaseUrl } = process.env
    if (!publicKey || !secretKey) throw new InvalidInputError('invalid input: UPLOADCARE_PUBLIC_KEY and UPLOADCARE_SECRET_KEY must be set')
    return new Client({ publicKey, secretKey, ...(baseUrl ? { baseUrl } : {}), ...(uploadBaseUrl ? { uploadBaseUrl } : {}), ...overrides })
  }

  /**
   * Uploads a file and resolves to it once ready: directly below 10 MiB, in parts sent
   * concurrently (each retried on its own) above. A path is streamed from disk a part at a
   * time; a Buffer or stream is sent from memory. `store` undefined follows the project's
   * autostore; `onProgress(sent, total)` is called as parts are acknowledged; `signal`
   * aborts the upload (no further part is sent).
   */
  async upload (source, options) {
    const o = opts(options)
    const data = await uploadSource(source)
    if (o.onProgress != null && typeof o.onProgress !== 'function') throw new InvalidInputError('invalid input: onProgress must be a function')
    const name = o.name ?? (typeof data === 'string' ? undefined : 'file')
    const answer = await settle(() => this.#native.upload(data, uploadArgs({ ...o, name }), reported(o.onProgress ?? undefined, 'onProgress'), callOptions(o), cancelToken(o.signal)))
    return models.file(JSON.parse(answer))
  }

  /**
   * Uploads many files, `concurrency` (16) at a time, and resolves to them in order. If any
   * fails, the first error is thrown with `uploaded` (a file or null per source) and
   * `errors` (index to error): nothing uploaded is lost.
   */
  async uploadMany (sources, options) {
    const { concurrency = 16, store, metadata, signal } = opts(options)
    if (sources == null || typeof sources[Symbol.iterator] !== 'function') throw new InvalidInputError('invalid input: pass an array of sources')
    const items = []
    for (const source of sources) items.push(await uploadSource(source))
    // A path names itself; in-memory data is called "file". Encoded once, not per source.
    const forPath = uploadArgs({ store, metadata })
    const forData = uploadArgs({ store, metadata, name: 'file' })
    const args = items.map((data) => (typeof data === 'string' ? forPath : forData))
    if (!Number.isSafeInteger(concurrency)) throw new InvalidInputError('invalid input: concurrency must be an integer')
    const answer = JSON.parse(await settle(() => this.#native.uploadMany(items, args, concurrency, cancelToken(signal))))
    const uploaded = answer.files.map((f) => (f == null ? null : models.file(f)))
    if (answer.errors.length) {
      const errors = new Map(answer.errors.map(([index, description]) => [index, fromDescription(description)]))
      const first = errors.values().next().value
      first.uploaded = uploaded
      first.errors = errors
      throw first
    }
    return uploaded
  }

  /**
   * Has the service fetch `url` and resolves once the file is in (polling with backoff, at
   * most `waitMs`, 300000 by default); a failed fetch is an ApiError with its reason.
   */
  async uploadFromUrl (url, options) {
    const o = opts(options)
    const { name, store, metadata, checkDuplicates, waitMs, signal } = o
    if (typeof url !== 'string') throw new InvalidInputError('invalid input: url must be a string')
    const args = toJson({ name, store, metadata, check_duplicates: checkDuplicates, timeout: seconds(waitMs, 'waitMs') })
    return models.file(JSON.parse(await settle(() => this.#native.uploadFromUrl(url, args, callOptions(o), cancelToken(signal)))))
  }

  /** The project these keys belong to. */
  async project (options) {
    return models.project(await call(this.#native, 'project', {}, options))
  }

  /** The REST API version this client speaks: '0.7' (the default) or '0.5'. */
  get apiVersion () { return this.#native.apiVersion }

  /** How many requests and retries this client has made. */
  stats () { return JSON.parse(this.#native.stats()) }

  /** The public key this client uses. */
  get publicKey () { return this.#publicKey }

  /** The API root this client talks to. */
  get baseUrl () { return this.#baseUrl }

  [util.inspect.custom] () {
    return `Client { publicKey: ${util.inspect(this.#publicKey)}, baseUrl: ${util.inspect(this.#baseUrl)}, apiVersion: '${this.apiVersion}' }`
  }

  toJSON () { return { publicKey: this.#publicKey, baseUrl: this.#baseUrl, apiVersion: this.apiVersion } }
}

module.exports = { Client, Listing, DEFAULT_BASE_URL }
