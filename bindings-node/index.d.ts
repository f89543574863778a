/** ucare: a fast, typed client for the Uploadcare REST API (v0.7 by default, v0.5 with `apiVersion: '0.5'`). */

/** The REST API versions a client speaks. */
export type ApiVersion = '0.7' | '0.5'
/** How a file listing is ordered (`size` and `-size` are v0.5 only). */
export type FileOrdering = 'datetime_uploaded' | '-datetime_uploaded' | 'size' | '-size'
/** How a group listing is ordered. */
export type GroupOrdering = 'datetime_created' | '-datetime_created'
/** What a webhook subscription is told about (v0.5 knows `file.uploaded` only). */
export type EventName = 'file.uploaded' | 'file.infected' | 'file.stored' | 'file.deleted' | 'file.info_updated'
/** The add-ons the service runs (v0.7). */
export type AddonName = 'aws_rekognition_detect_labels' | 'aws_rekognition_detect_moderation_labels' | 'remove_bg' | 'uc_clamav_virus_scan'
/** Where an add-on run is. */
export type AddonState = 'in_progress' | 'done' | 'error' | 'unknown'
/** Where a conversion job is. */
export type JobState = 'pending' | 'processing' | 'finished' | 'failed' | 'cancelled'
/** What setting a metadata key did. */
export type MetadataWrite = 'created' | 'replaced'

/** One HTTP attempt, as the request log reports it (never a header or a secret). */
export interface RequestLog {
  method: string
  /** The URL's path, without the query. */
  path: string
  /** The answer's status; null when no answer came (see `error`). */
  status: number | null
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number
  elapsedMs: number
  error: string | null
}

/** The real API's root. */
export declare const DEFAULT_BASE_URL: string

/** How a client is set up. */
export interface ClientOptions {
  /** The project's public key. */
  publicKey: string
  /** The project's secret key; it never appears in any inspect output or error. */
  secretKey: string
  /** `signed` (default) or `simple` (sends the secret in every request: tests only). */
  auth?: 'signed' | 'simple'
  /** The API root; the real API by default. */
  baseUrl?: string
  /** The REST API version: `0.7` (the default) or `0.5`. */
  apiVersion?: ApiVersion
  /** How long one request may take, in milliseconds (30000 by default, at most a day). */
  timeoutMs?: number
  /** How many times a failed request is retried (3 by default, 0 turns retries off). */
  maxRetries?: number
  /** Words added to the User-Agent. */
  userAgentSuffix?: string
  /** The largest answer accepted, in bytes (64 MiB by default); a bigger one is a DecodeError. */
  maxResponseBytes?: number
  /** The Upload API root; https://upload.uploadcare.com/ by default. */
  uploadBaseUrl?: string
  /** Receives the request log, one call per HTTP attempt (`UCARE_LOG=debug` logs to stderr when unset). */
  onRequest?: (entry: RequestLog) => void
  /** The path of a PEM file of CA certificates to trust beside the platform's (a corporate TLS proxy, a private endpoint). */
  caBundle?: string
  /** Send every request through this proxy (`http://user:password@host:port`); HTTPS_PROXY and friends apply without it. */
  proxy?: string
}

/** What `upload` takes: a Buffer or Uint8Array, a path (streamed from disk), or a readable stream. */
export type UploadSource = Buffer | Uint8Array | string | AsyncIterable<Buffer | Uint8Array | string>

/** Options of an upload. */
export interface UploadOptions extends CallOptions {
  /** The file's name (a path's file name by default). */
  name?: string
  /** The content type (application/octet-stream by default). */
  contentType?: string
  /** Stored or not; the project's autostore when undefined. */
  store?: boolean
  /** Metadata for the file. */
  metadata?: Record<string, string>
  /** Called as bytes are acknowledged: after each part, and once at the end of a direct upload. */
  onProgress?: (sent: number, total: number) => void
  /** Files of this size and above go in parts (10 MiB by default, the service's minimum). */
  multipartMinSize?: number
  /** Parts in flight at once (4 by default). */
  partConcurrency?: number
}

/** The first failure of `uploadMany`, with every outcome. */
export interface UploadManyFailure {
  /** A file, or null where the upload failed, per source. */
  uploaded: Array<File | null>
  /** Index of the source to its error. */
  errors: Map<number, UploadcareError>
}

/** What every call takes: an `AbortSignal` that cancels it, and a timeout and retry count for this call alone. */
export interface CallOptions {
  /** Aborting it rejects the call with an `AbortError` and sends nothing more for it. */
  signal?: AbortSignal
  /** How long each request of this call may take, in milliseconds (the client's otherwise). */
  timeoutMs?: number
  /** How many times a failed request of this call is retried (the client's otherwise). */
  maxRetries?: number
}

/** What the API knows of an image. */
export interface ImageInfo {
  colorMode: string | null
  orientation: number | null
  format: string | null
  sequence: boolean | null
  height: number | null
  width: number | null
  geoLocation: unknown
  datetimeOriginal: string | null
  dpi: number[] | null
  /** Fields the server sent that are not modelled. */
  extra: Record<string, unknown>
}

/** A file of the project. */
export interface File {
  uuid: string
  originalFilename: string
  mimeType: string
  size: number
  isImage: boolean
  isReady: boolean
  datetimeUploaded: Date | null
  /** When it was stored; null until then. */
  datetimeStored: Date | null
  /** When it was removed; null unless removed. */
  datetimeRemoved: Date | null
  /** Image details: v0.5 `image_info`, v0.7 `content_info.image`. */
  imageInfo: ImageInfo | null
  originalFileUrl: string | null
  url: string | null
  /** Where a copy came from (v0.5). */
  source: string | null
  /** What the content is (v0.7); null until processed, and in v0.5. */
  contentInfo: ContentInfo | null
  /** The file's metadata (v0.7; `{}` when none). */
  metadata: Record<string, string>
  /** What add-ons wrote (v0.7), when asked for with `includeAppdata`. */
  appdata: Record<string, unknown> | null
  /** Derived variations, when any (v0.7). */
  variations: Record<string, unknown> | null
  /** Fields the server sent that are not modelled (videoInfo, ...), with their API names. */
  extra: Record<string, unknown>
}

/** What the service found a file's content to be (v0.7). */
export interface ContentInfo {
  mime: { mime: string, type: string, subtype: string } | null
  image: ImageInfo | null
  video: Record<string, unknown> | null
  extra: Record<string, unknown>
}

/** A started add-on run; pass it to `addons.status` or `addons.wait`. */
export interface AddonRun {
  addon: AddonName
  requestId: string
}

/** Where an add-on run is; `fileId` is the file remove.bg made. */
export interface AddonStatus {
  status: AddonState
  isFinal: boolean
  fileId: string | null
  extra: Record<string, unknown>
}

/** Where a copy to a custom storage went; `created` is false when the name existed. */
export interface RemoteCopy {
  url: string
  created: boolean
}

/** A document's format, what it converts to, and the groups `saveInGroup` conversions made. */
export interface DocumentInfo {
  format: string
  conversionFormats: string[]
  convertedGroups: Record<string, string>
  error: string | null
  extra: Record<string, unknown>
}

/** A group of files; `files` is filled by `groups.info` (null for a removed file). */
export interface Group {
  id: string
  datetimeCreated: Date | null
  datetimeStored: Date | null
  filesCount: number
  cdnUrl: string | null
  url: string | null
  files: Array<File | null> | null
  extra: Record<string, unknown>
}

/** The project the keys belong to. */
export interface Project {
  name: string
  pubKey: string
  autostoreEnabled: boolean
  collaborators: Collaborator[]
  extra: Record<string, unknown>
}

/** Someone else who works on the project. */
export interface Collaborator {
  email: string | null
  name: string | null
  extra: Record<string, unknown>
}

/** A webhook subscription. `signingSecret` is readable but hidden from inspect output. */
export interface Webhook {
  id: number
  project: number | null
  created: Date | null
  updated: Date | null
  event: EventName
  targetUrl: string
  isActive: boolean
  readonly signingSecret: string | null
  version: string | null
  extra: Record<string, unknown>
}

/** The merged answer of a batch: every file done and every problem (id to message). */
export interface BatchResult {
  status: string
  problems: Record<string, string>
  result: File[]
}

/** A started conversion job. */
export interface ConversionJob {
  kind: 'document' | 'video'
  token: number
  uuid: string
  originalSource: string | null
  thumbnailsGroupUuid: string | null
  extra: Record<string, unknown>
}

/** Jobs started, and the paths refused with why. */
export interface ConversionResponse {
  jobs: ConversionJob[]
  problems: Record<string, string>
  extra: Record<string, unknown>
}

/** A job's status. */
export interface ConversionStatus {
  status: JobState
  /** Whether it will not change any more. */
  isFinal: boolean
  error: string | null
  uuid: string | null
  thumbnailsGroupUuid: string | null
  /** Fields not modelled, of the status and of its result. */
  extra: Record<string, unknown>
}

/** One page of a listing. */
export interface Page<T> {
  results: T[]
  total: number
  perPage: number
  next: string | null
  previous: string | null
}

/** A lazy listing: `for await` for items, `pages()` for whole pages. */
export declare class Listing<T> implements AsyncIterable<T> {
  private constructor ()
  /** How many items match, once the first page was fetched; null before. */
  readonly total: number | null
  /** How many items match, fetching the first page if needed. */
  getTotal (): Promise<number>
  /** The remaining pages. */
  pages (): AsyncGenerator<Page<T>, void, undefined>
  /** Collects every remaining item. */
  toArray (): Promise<T[]>
  [Symbol.asyncIterator] (): AsyncGenerator<T, void, undefined>
}

/** Options of a file listing. */
export interface ListFilesOptions extends CallOptions {
  /** Only stored (true) or unstored (false) files; both when unset. */
  stored?: boolean
  /** Only removed (true) or present (false, default) files. */
  removed?: boolean
  /** Files per page, 1..1000. */
  limit?: number
  ordering?: FileOrdering
  /** Where to start: a Date for datetime orderings, a size for size orderings (v0.5). */
  from?: Date | number
  /** Add what add-ons wrote to each file (v0.7). */
  includeAppdata?: boolean
}

/** `client.files`. */
export interface Files {
  /** Every matching file, fetched page by page. */
  list (options?: ListFilesOptions): Listing<File>
  /** One file; `includeAppdata` (v0.7) adds what add-ons wrote. */
  info (uuid: string, options?: { includeAppdata?: boolean } & CallOptions): Promise<File>
  /** Stores a file: it is kept permanently. */
  store (uuid: string, options?: CallOptions): Promise<File>
  /** Removes a file. */
  delete (uuid: string, options?: CallOptions): Promise<File>
  /**
   * Stores any number of files (sent 100 at a time); every problem is reported. When a
   * request fails, the error's `batch` says what was done and which ids are left.
   */
  storeMany (uuids: Iterable<string>, options?: CallOptions): Promise<BatchResult>
  /** Removes any number of files (sent 100 at a time); every problem is reported. */
  deleteMany (uuids: Iterable<string>, options?: CallOptions): Promise<BatchResult>
  /** Copies a file (UUID or CDN URL) within the project (v0.7); never repeated if the answer is lost. */
  localCopy (source: string, options?: { store?: boolean, metadata?: Record<string, string> } & CallOptions): Promise<File>
  /** Copies a file to the custom storage `target` (v0.7). */
  remoteCopy (source: string, options: { target: string, makePublic?: boolean, pattern?: string } & CallOptions): Promise<RemoteCopy>
  /** Copies a file within the project (v0.5; v0.7: `localCopy`). */
  copy (source: string, options?: { store?: boolean } & CallOptions): Promise<File>
  /** Copies a file to the custom storage `target` (v0.5; v0.7: `remoteCopy`); resolves to the copy's URL. */
  copyToStorage (source: string, options: { target: string, makePublic?: boolean, pattern?: string } & CallOptions): Promise<string>
  /** A file's metadata (v0.7); every method is a request. */
  metadata (uuid: string): FileMetadata
}

/** A file's metadata (v0.7). */
export interface FileMetadata {
  /** Every key and value. */
  all (options?: CallOptions): Promise<Record<string, string>>
  /** One key's value, or undefined when it is not set. */
  get (key: string, options?: CallOptions): Promise<string | undefined>
  /** Sets a key. */
  set (key: string, value: string, options?: CallOptions): Promise<MetadataWrite>
  /** Removes a key; false when it was not set. */
  delete (key: string, options?: CallOptions): Promise<boolean>
}

/** remove.bg's parameters. */
export interface RemoveBgOptions extends CallOptions {
  crop?: boolean
  cropMargin?: string
  scale?: string
  addShadow?: boolean
  typeLevel?: 'none' | '1' | '2' | 'latest'
  type?: string
  semitransparency?: boolean
  channels?: 'rgba' | 'alpha'
  roi?: string
  position?: string
}

/** `client.addons` (v0.7): results land in the file's `appdata`. */
export interface Addons {
  /** Starts `addon` on a file; never repeated if the answer is lost. */
  run (addon: AddonName, uuid: string, options?: { params?: Record<string, unknown> } & CallOptions): Promise<AddonRun>
  /** Labels what an image shows (AWS Rekognition). */
  detectLabels (uuid: string, options?: CallOptions): Promise<AddonRun>
  /** Moderation labels for an image (AWS Rekognition). */
  detectModerationLabels (uuid: string, options?: CallOptions): Promise<AddonRun>
  /** Removes an image's background (remove.bg); the status's `fileId` is the new file. */
  removeBg (uuid: string, options?: RemoveBgOptions): Promise<AddonRun>
  /** Scans a file for viruses (ClamAV). */
  virusScan (uuid: string, options?: { purgeInfected?: boolean } & CallOptions): Promise<AddonRun>
  /** A run's status. */
  status (run: AddonRun, options?: CallOptions): Promise<AddonStatus>
  /** Polls a run until it is final; TimeoutError after `waitMs` (300000 by default). */
  wait (run: AddonRun, options?: { waitMs?: number } & CallOptions): Promise<AddonStatus>
}

/** `client.groups`. */
export interface Groups {
  /** Every group, page by page. */
  list (options?: { limit?: number, ordering?: GroupOrdering, from?: Date } & CallOptions): Listing<Group>
  /** One group with its files. */
  info (groupId: string, options?: CallOptions): Promise<Group>
  /** Removes a group, not its files (v0.7). */
  delete (groupId: string, options?: CallOptions): Promise<void>
  /** Stores every file of a group (v0.5). */
  store (groupId: string, options?: CallOptions): Promise<Group>
  /** Makes a group of uploaded files (uuids, CDN URLs with operations, or Files; 1 to 1000, in order) through the Upload API. */
  create (files: Iterable<string | File>, options?: CallOptions): Promise<Group>
}

/** `client.webhooks`. */
export interface Webhooks {
  /** Every subscription. */
  list (options?: CallOptions): Promise<Webhook[]>
  /** Subscribes `targetUrl` to `event`; `signingSecret` (up to 32 characters) signs deliveries; `version` is v0.5 only. */
  create (targetUrl: string, options?: { event?: EventName, isActive?: boolean, signingSecret?: string, version?: '0.5' | '0.6' | '0.7' } & CallOptions): Promise<Webhook>
  /** Changes a subscription; fields left out stay as they are. */
  update (id: number, changes: { targetUrl?: string, event?: EventName, isActive?: boolean, signingSecret?: string } & CallOptions): Promise<Webhook>
  /** Unsubscribes `targetUrl`. */
  delete (targetUrl: string, options?: CallOptions): Promise<void>
}

/** A document conversion. */
export interface DocumentConversion {
  uuid: string
  format?: 'doc' | 'docx' | 'xls' | 'xlsx' | 'odt' | 'ods' | 'rtf' | 'txt' | 'pdf' | 'jpg' | 'png'
  /** For jpg and png targets: which page. */
  page?: number
}

/** A video conversion. */
export interface VideoConversion {
  uuid: string
  format?: 'mp4' | 'webm' | 'ogg'
  quality?: 'normal' | 'better' | 'best' | 'lighter' | 'lightest'
  size?: { width: number, height: number, mode?: 'preserve_ratio' | 'change_ratio' | 'scale_crop' | 'add_padding' }
  /** `start` and `length` as times like `0:1:30.5`; `length` may be `end`. */
  cut?: { start: string, length: string }
  /** 1..50 thumbnails. */
  thumbs?: number
}

/** `client.conversions`. */
export interface Conversions {
  /** Starts document conversions; refused paths are in `problems`; `saveInGroup` (v0.7) saves a multi-page result as a group. */
  document (conversions: DocumentConversion | DocumentConversion[], options?: { store?: boolean, saveInGroup?: boolean } & CallOptions): Promise<ConversionResponse>
  /** Starts video conversions; refused paths are in `problems`. */
  video (conversions: VideoConversion | VideoConversion[], options?: { store?: boolean } & CallOptions): Promise<ConversionResponse>
  /** A job's status, by the job or its token. */
  status (job: ConversionJob | number, options?: { kind?: 'document' | 'video' } & CallOptions): Promise<ConversionStatus>
  /** Polls a job until it is final; TimeoutError after `waitMs` (300000 by default). */
  wait (job: ConversionJob | number, options?: { waitMs?: number, kind?: 'document' | 'video' } & CallOptions): Promise<ConversionStatus>
  /** A document's format, what it converts to, and the groups conversions made (v0.7). */
  documentInfo (uuid: string, options?: CallOptions): Promise<DocumentInfo>
  /** The path a document conversion sends (checked by the core). */
  documentPath (conversion: DocumentConversion): string
  /** The path a video conversion sends (checked by the core). */
  videoPath (conversion: VideoConversion): string
}

/** A client for the Uploadcare REST API; every method returns a Promise. */
export declare class Client {
  constructor (options: ClientOptions)
  /** A client from UPLOADCARE_PUBLIC_KEY, UPLOADCARE_SECRET_KEY and UPLOADCARE_API_BASE. */
  static fromEnv (overrides?: Partial<ClientOptions>): Client
  /** Files: list, info, store, delete, batches, copies, metadata. */
  readonly files: Files
  /** Add-ons (v0.7). */
  readonly addons: Addons
  /** Groups: list, info, create, delete (v0.7), store (v0.5). */
  readonly groups: Groups
  /** Webhook subscriptions. */
  readonly webhooks: Webhooks
  /** Document and video conversions. */
  readonly conversions: Conversions
  /** The public key this client uses. */
  readonly publicKey: string
  /** The API root this client talks to. */
  readonly baseUrl: string
  /** The REST API version this client speaks. */
  readonly apiVersion: ApiVersion
  /** The project these keys belong to. */
  project (options?: CallOptions): Promise<Project>
  /** Uploads a file and resolves to it once ready (multipart with concurrent parts above 10 MiB). */
  upload (source: UploadSource, options?: UploadOptions): Promise<File>
  /** Uploads many files, `concurrency` at a time; a failure throws the first error with `uploaded` and `errors` (UploadManyFailure). */
  uploadMany (sources: Iterable<UploadSource>, options?: { concurrency?: number, store?: boolean, metadata?: Record<string, string> } & CallOptions): Promise<File[]>
  /** Has the service fetch `url` and resolves once the file is in. */
  uploadFromUrl (url: string, options?: { name?: string, store?: boolean, metadata?: Record<string, string>, checkDuplicates?: boolean, waitMs?: number } & CallOptions): Promise<File>
  /** How many requests and retries this client has made. */
  stats (): { requests: number, retries: number }
}

/** What a batch store or delete had done when one of its requests failed. */
export interface BatchProgress {
  /** The files stored (or removed) and the problems reported so far. */
  partial: BatchResult
  /** Ids sent in requests that failed (refused, or of unknown outcome). */
  failed: string[]
  /** Ids never sent. */
  notAttempted: string[]
  /** `failed` then `notAttempted`: send these again to finish the batch. */
  remaining: string[]
}

/** The base of every ucare error. */
export declare class UploadcareError extends Error {
  /** A stable string for the kind of error. */
  readonly code: string
  /** Set when a batch stopped part-way; the error's class is that of the failed request. */
  readonly batch: BatchProgress | null
}
/** The call was aborted through its AbortSignal (`name` 'AbortError', `code` 'ABORT_ERR'). */
export declare class AbortError extends UploadcareError {}
/** The API answered with an error status. */
export declare class ApiError extends UploadcareError {
  readonly status: number
  readonly detail: string
  /** Seconds to wait, for throttled answers. */
  readonly retryAfter: number | null
  /** Per-field messages, as add-ons answer (`{ target: ['Must be a valid UUID.'] }`); null when none. */
  readonly fieldErrors: Record<string, string[]> | null
}
/** 401 or 403. */
export declare class AuthenticationError extends ApiError {}
/** 404. */
export declare class NotFoundError extends ApiError {}
/** 429; see `retryAfter`. */
export declare class ThrottledError extends ApiError {}
/** 400. */
export declare class BadRequestError extends ApiError {}
/** The request could not be sent or its answer not read. */
export declare class TransportError extends UploadcareError {}
/** The request did not complete in time. */
export declare class TimeoutError extends UploadcareError {}
/** Arguments refused before anything was sent. */
export declare class InvalidInputError extends UploadcareError {}
/** A POST whose answer was lost: it may or may not have taken effect. */
export declare class OutcomeUnknownError extends UploadcareError {}
/** The answer was not what the API promises. */
export declare class DecodeError extends UploadcareError {
  readonly status: number
  readonly snippet: string
}

/** The subscription that sent a delivery. */
export interface Hook {
  id: number
  projectId: number | null
  projectPubKey: string | null
  event: string
  isActive: boolean
  version: string | null
  extra: Record<string, unknown>
}

/** A delivered webhook event. */
export interface WebhookEvent {
  hook: Hook
  data: File
  file: string | null
  extra: Record<string, unknown>
}

type Body = string | Buffer | Uint8Array

/** The header a signed delivery carries (lower case, as Node's `req.headers` has it). */
export declare const SIGNATURE_HEADER: string
/** Whether `header` is the right X-Uc-Signature of the raw body (constant-time compare); InvalidInputError for an empty secret. */
export declare function verifyWebhook (signingSecret: string, rawBody: Body, header: string | undefined): boolean
/** The X-Uc-Signature value for a body. */
export declare function signWebhook (signingSecret: string, rawBody: Body): string
/** Reads a delivered event; DecodeError when it is not one. */
export declare function parseWebhookEvent (rawBody: Body): WebhookEvent
/** Checks the signature, then reads the event; InvalidInputError for a wrong signature. */
export declare function verifyAndParseWebhook (signingSecret: string, rawBody: Body, header: string | undefined): WebhookEvent
/** The request signature of the `Uploadcare` scheme. */
export declare function requestSignature (secretKey: string, method: string, body: Body, contentType: string, date: string, uri: string): string
