'use strict'
// Every error ucare throws. `UploadcareError` is the base; each class has a stable `code`.
// Messages never contain the secret key.

/**
 * The base of every ucare error. `batch` is set when a batch store or delete stopped
 * part-way: `{ partial, failed, notAttempted, remaining }` (what was done, the ids of the
 * failed requests, the ids never sent, and both together to send again).
 */
class UploadcareError extends Error {
  constructor (message, options) {
    super(message, options)
    this.name = new.target.name
    this.batch = (options && options.batch) || null
  }
}
UploadcareError.prototype.code = 'UPLOADCARE_ERROR'

/**
 * The API answered with an error status: `status`, the API's `detail`, `retryAfter`
 * (seconds) and `fieldErrors` (per field, as add-ons answer: `{ target: ['Must be a valid UUID.'] }`, or null).
 */
class ApiError extends UploadcareError {
  constructor (message, { status = 0, detail = '', retryAfter = null, fieldErrors = null, ...options } = {}) {
    super(message, options)
    this.status = status
    this.detail = detail
    this.retryAfter = retryAfter
    this.fieldErrors = fieldErrors
  }
}
ApiError.prototype.code = 'API_ERROR'

/** 401 or 403: wrong keys, a bad signature, a stale Date, or a feature the plan lacks. */
class AuthenticationError extends ApiError {}
AuthenticationError.prototype.code = 'AUTHENTICATION_ERROR'

/** 404: no such file, group, webhook or job. */
class NotFoundError extends ApiError {}
NotFoundError.prototype.code = 'NOT_FOUND'

/** 429: too many requests; `retryAfter` says how many seconds to wait. */
class ThrottledError extends ApiError {}
ThrottledError.prototype.code = 'THROTTLED'

/** 400: the API refused the request's parameters. */
class BadRequestError extends ApiError {}
BadRequestError.prototype.code = 'BAD_REQUEST'

/** The request could not be sent or its answer not read. */
class TransportError extends UploadcareError {}
TransportError.prototype.code = 'TRANSPORT_ERROR'

/** The request did not complete within the client's timeout. */
class TimeoutError extends UploadcareError {}
TimeoutError.prototype.code = 'TIMEOUT'

/** Arguments refused before anything was sent. */
class InvalidInputError extends UploadcareError {}
InvalidInputError.prototype.code = 'INVALID_INPUT'

/** A POST was sent but its answer was lost: it may or may not have taken effect (never repeated). */
class OutcomeUnknownError extends UploadcareError {}
OutcomeUnknownError.prototype.code = 'OUTCOME_UNKNOWN'

/** The answer was not what the API promises; `snippet` shows how it began. */
class DecodeError extends UploadcareError {
  constructor (message, { status = 0, snippet = '', ...options } = {}) {
    super(message, options)
    this.status = status
    this.snippet = snippet
  }
}
DecodeError.prototype.code = 'DECODE_ERROR'

/**
 * The call was aborted through its `AbortSignal`; nothing more is sent for it. Its `name`
 * is `AbortError` and its `code` `ABORT_ERR`, as Node's own aborted calls have.
 */
class AbortError extends UploadcareError {}
AbortError.prototype.code = 'ABORT_ERR'

const MARK = 'ucare:'

function batchProgress (batch) {
  if (batch == null) return null
  // Required lazily: models requires nothing from here, but keep the load order free.
  const models = require('./models')
  const failed = batch.failed
  const notAttempted = batch.notAttempted
  return { partial: models.batch(batch.partial), failed, notAttempted, remaining: [...failed, ...notAttempted] }
}

/** Turns an error from the native addon into the matching class; others pass through. */
function fromNative (error) {
  // The native module throws `{ failure }` (the error's description as a value); a few
  // paths (the emulator's) still carry it in the message.
  if (error !== null && typeof error === 'object' && !(error instanceof Error) && 'failure' in error) return fromDescription(error.failure)
  if (!(error instanceof Error) || !error.message.startsWith(MARK)) return error
  let d
  try {
    d = JSON.parse(error.message.slice(MARK.length))
  } catch {
    return error
  }
  return fromDescription(d)
}

/** An error of the right class from the core's description of it. */
function fromDescription (d) {
  const batch = batchProgress(d.batch)
  switch (d.kind) {
    case 'api': {
      const Class = d.status === 401 || d.status === 403
        ? AuthenticationError
        : d.status === 404 ? NotFoundError : d.status === 429 ? ThrottledError : d.status === 400 ? BadRequestError : ApiError
      return new Class(d.message, { status: d.status, detail: d.detail, retryAfter: d.retryAfter, fieldErrors: d.fields ?? null, batch })
    }
    case 'transport': return new TransportError(d.message, { batch })
    case 'timeout': return new TimeoutError(d.message, { batch })
    case 'invalid_input': return new InvalidInputError(d.message, { batch })
    case 'outcome_unknown': return new OutcomeUnknownError(d.message, { batch })
    case 'decode': return new DecodeError(d.message, { status: d.status, snippet: d.snippet, batch })
    case 'aborted': return new AbortError(d.message)
    default: return new UploadcareError(d.message, { batch })
  }
}

/** Runs a native call, rethrowing its errors as ucare classes. */
function native (fn) {
  try {
    return fn()
  } catch (error) {
    throw fromNative(error)
  }
}

module.exports = {
  UploadcareError,
  ApiError,
  AuthenticationError,
  NotFoundError,
  ThrottledError,
  BadRequestError,
  TransportError,
  TimeoutError,
  InvalidInputError,
  OutcomeUnknownError,
  DecodeError,
  AbortError,
  fromNative,
  fromDescription,
  native
}
