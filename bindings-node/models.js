'use strict'
// The API's snake_case JSON as plain objects with camelCase fields and Date values.
// Fields the API sends that are not modelled here stay reachable in `extra`.

const date = (value) => (value == null ? null : new Date(value))

function rest (data, known) {
  const extra = {}
  for (const key of Object.keys(data)) if (!known.has(key)) extra[key] = data[key]
  return extra
}

const IMAGE_INFO = new Set(['color_mode', 'orientation', 'format', 'sequence', 'height', 'width', 'geo_location', 'datetime_original', 'dpi'])

function imageInfo (d) {
  if (d == null) return null
  return {
    colorMode: d.color_mode ?? null,
    orientation: d.orientation ?? null,
    format: d.format ?? null,
    sequence: d.sequence ?? null,
    height: d.height ?? null,
    width: d.width ?? null,
    geoLocation: d.geo_location ?? null,
    datetimeOriginal: d.datetime_original ?? null,
    dpi: d.dpi ?? null,
    extra: rest(d, IMAGE_INFO)
  }
}

const CONTENT_INFO = new Set(['mime', 'image', 'video'])

function contentInfo (d) {
  if (d == null) return null
  const mime = d.mime == null ? null : { mime: d.mime.mime ?? '', type: d.mime.type ?? '', subtype: d.mime.subtype ?? '' }
  return { mime, image: imageInfo(d.image), video: d.video ?? null, extra: rest(d, CONTENT_INFO) }
}

const FILE = new Set(['uuid', 'original_filename', 'mime_type', 'size', 'is_image', 'is_ready', 'datetime_uploaded', 'datetime_stored',
  'datetime_removed', 'image_info', 'original_file_url', 'url', 'source', 'content_info', 'metadata', 'appdata', 'variations'])

function file (d) {
  return {
    uuid: d.uuid,
    originalFilename: d.original_filename ?? '',
    mimeType: d.mime_type ?? '',
    size: d.size ?? 0,
    isImage: d.is_image ?? false,
    isReady: d.is_ready ?? false,
    datetimeUploaded: date(d.datetime_uploaded),
    datetimeStored: date(d.datetime_stored),
    datetimeRemoved: date(d.datetime_removed),
    // v0.5 image_info, or v0.7 content_info.image
    imageInfo: imageInfo(d.image_info ?? d.content_info?.image),
    originalFileUrl: d.original_file_url ?? null,
    url: d.url ?? null,
    source: d.source ?? null,
    contentInfo: contentInfo(d.content_info),
    metadata: d.metadata ?? {},
    appdata: d.appdata ?? null,
    variations: d.variations ?? null,
    extra: rest(d, FILE)
  }
}

const GROUP = new Set(['id', 'datetime_created', 'datetime_stored', 'files_count', 'cdn_url', 'url', 'files'])

function group (d) {
  return {
    id: d.id,
    datetimeCreated: date(d.datetime_created),
    datetimeStored: date(d.datetime_stored),
    filesCount: d.files_count ?? 0,
    cdnUrl: d.cdn_url ?? null,
    url: d.url ?? null,
    files: d.files == null ? null : d.files.map((f) => (f == null ? null : file(f))),
    extra: rest(d, GROUP)
  }
}

const COLLABORATOR = new Set(['email', 'name'])
const PROJECT = new Set(['name', 'pub_key', 'autostore_enabled', 'collaborators'])

function project (d) {
  return {
    name: d.name ?? '',
    pubKey: d.pub_key ?? '',
    autostoreEnabled: d.autostore_enabled ?? false,
    collaborators: (d.collaborators ?? []).map((c) => ({ email: c.email ?? null, name: c.name ?? null, extra: rest(c, COLLABORATOR) })),
    extra: rest(d, PROJECT)
  }
}

const WEBHOOK = new Set(['id', 'project', 'created', 'updated', 'event', 'target_url', 'is_active', 'signing_secret', 'version'])

function webhook (d) {
  const hook = {
    id: d.id,
    project: d.project ?? null,
    created: date(d.created),
    updated: date(d.updated),
    event: d.event ?? '',
    targetUrl: d.target_url ?? '',
    isActive: d.is_active ?? false,
    version: d.version ?? null,
    extra: rest(d, WEBHOOK)
  }
  // Readable, but kept out of console.log and util.inspect: it is a secret.
  Object.defineProperty(hook, 'signingSecret', { value: d.signing_secret ?? null, enumerable: false })
  return hook
}

function batch (d) {
  return { status: d.status ?? 'ok', problems: d.problems ?? {}, result: (d.result ?? []).map(file) }
}

const JOB = new Set(['token', 'uuid', 'original_source', 'thumbnails_group_uuid'])

function conversionResponse (d, kind) {
  const jobs = (d.result ?? []).map((j) => ({
    kind,
    token: j.token,
    uuid: j.uuid,
    originalSource: j.original_source ?? null,
    thumbnailsGroupUuid: j.thumbnails_group_uuid ?? null,
    extra: rest(j, JOB)
  }))
  return { jobs, problems: d.problems ?? {}, extra: rest(d, new Set(['result', 'problems'])) }
}

const FINAL = new Set(['finished', 'failed', 'cancelled'])

function conversionStatus (d) {
  const result = d.result ?? {}
  return {
    status: d.status,
    isFinal: FINAL.has(d.status),
    error: d.error ?? null,
    uuid: result.uuid ?? null,
    thumbnailsGroupUuid: result.thumbnails_group_uuid ?? null,
    extra: { ...rest(d, new Set(['status', 'error', 'result'])), ...rest(result, new Set(['uuid', 'thumbnails_group_uuid'])) }
  }
}

const HOOK = new Set(['id', 'project_id', 'project_pub_key', 'event', 'is_active', 'version'])

function webhookEvent (d) {
  const h = d.hook ?? {}
  return {
    hook: {
      id: h.id,
      projectId: h.project_id ?? null,
      projectPubKey: h.project_pub_key ?? null,
      event: h.event ?? '',
      isActive: h.is_active ?? false,
      version: h.version ?? null,
      extra: rest(h, HOOK)
    },
    data: file(d.data),
    file: d.file ?? null,
    extra: rest(d, new Set(['hook', 'data', 'file']))
  }
}

function addonRun (d) {
  return { addon: d.addon, requestId: d.request_id }
}

const ADDON_FINAL = new Set(['done', 'error', 'unknown'])

function addonStatus (d) {
  return { status: d.status, isFinal: ADDON_FINAL.has(d.status), fileId: d.result?.file_id ?? null, extra: rest(d, new Set(['status', 'result'])) }
}

function remoteCopy (d) {
  return { url: d.url, created: d.created ?? true }
}

function documentInfo (d) {
  const format = d.format ?? {}
  return {
    format: format.name ?? '',
    conversionFormats: (format.conversion_formats ?? []).map((f) => f.name ?? ''),
    // beside `format` as the API reference has it, or inside it as some answers carry it
    convertedGroups: Object.keys(d.converted_groups ?? {}).length ? d.converted_groups : (format.converted_groups ?? {}),
    error: d.error ?? null,
    extra: rest(d, new Set(['format', 'converted_groups', 'error']))
  }
}

// Files as the addon packs them (bindings-node/src/packed.rs), by column: `d.uuid[i]`,
// `d.size[i]`, ... are file i's fields, times in milliseconds after `d.epoch`, MIME types
// as indices in `d.strings`; the sparse fields (`d.metadata`, `d.extra`, ...) hold only
// the files whose value is not empty, by index, and a file the addon could not pack comes
// whole in `d.whole`. They are built into the same objects `file` makes of a file's JSON (a
// parity test holds the two together).
function packedImage (p) {
  if (p == null) return null
  return { colorMode: p[0], orientation: p[1], format: p[2], sequence: p[3], height: p[4], width: p[5], geoLocation: p[6], datetimeOriginal: p[7], dpi: p[8], extra: p[9] }
}

const after = (epoch, ms) => (ms == null ? null : new Date(epoch + ms))

function packedFiles (d) {
  const { count, epoch, strings, uuid, originalFilename, mimeType, size, isImage, isReady, uploaded, stored, removed, originalFileUrl, url } = d
  const { hasContentInfo, contentMime, contentType, contentSubtype, image, video, contentExtra, source, metadata, appdata, variations, extra, whole } = d
  const files = new Array(count)
  for (let i = 0; i < count; i++) {
    if (whole[i] !== undefined) {
      files[i] = file(whole[i])
      continue
    }
    const mime = contentMime[i]
    files[i] = {
      uuid: uuid[i],
      originalFilename: originalFilename[i],
      mimeType: strings[mimeType[i]],
      size: size[i],
      isImage: isImage[i],
      isReady: isReady[i],
      datetimeUploaded: after(epoch, uploaded[i]),
      datetimeStored: after(epoch, stored[i]),
      datetimeRemoved: after(epoch, removed[i]),
      imageInfo: packedImage(image[i]),
      originalFileUrl: originalFileUrl[i],
      url: url[i],
      source: source[i] ?? null,
      contentInfo: hasContentInfo[i]
        ? { mime: mime == null ? null : { mime: strings[mime], type: strings[contentType[i]], subtype: strings[contentSubtype[i]] }, image: packedImage(image[i]), video: video[i] ?? null, extra: contentExtra[i] ?? {} }
        : null,
      metadata: metadata[i] ?? {},
      appdata: appdata[i] ?? null,
      variations: variations[i] ?? null,
      extra: extra[i] ?? {}
    }
  }
  return files
}

function packedFilePage (d) {
  return { results: packedFiles(d), total: d.total, perPage: d.perPage, next: d.next, previous: d.previous }
}

// A batch's merged answer with its files packed (NativeClient.fileBatch).
function packedBatch (d) {
  return { status: d.status, problems: d.problems, result: packedFiles(d) }
}

function page (d, wrap) {
  return { results: d.results.map(wrap), total: d.total ?? 0, perPage: d.per_page ?? 0, next: d.next ?? null, previous: d.previous ?? null }
}

module.exports = {
  file, group, project, webhook, batch, conversionResponse, conversionStatus, webhookEvent, page, packedFilePage, packedBatch, imageInfo, contentInfo, addonRun, addonStatus,
  remoteCopy, documentInfo,
  // The file fields `file` reads (packed.rs's FILE_KEYS; the parity test holds the two together).
  fileFields: FILE
}
