'use strict'
// Receiving webhooks: check X-Uc-Signature and read the delivered event.

const addon = require('./native')
const models = require('./models')
const { InvalidInputError, native } = require('./errors')

const SIGNATURE_HEADER = 'x-uc-signature'

function bytes (body) {
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (Buffer.isBuffer(body)) return body
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  throw new InvalidInputError(`invalid input: a webhook body is a string, Buffer or Uint8Array, not ${body === null ? 'null' : typeof body}`)
}

/**
 * The secret, which must be a non-empty string: a missing one (an unset environment
 * variable gives undefined) must never verify, and must not become the string "undefined"
 * that anyone can sign with.
 */
function secret (signingSecret) {
  if (typeof signingSecret !== 'string' || signingSecret === '') {
    const got = signingSecret === '' ? 'an empty string' : signingSecret === null ? 'null' : typeof signingSecret
    throw new InvalidInputError(`invalid input: the webhook signing secret must be a non-empty string (got ${got})`)
  }
  return signingSecret
}

/**
 * Whether `header` is the right signature of the raw `body` (constant-time compare). A
 * missing header is `false`; a missing or empty secret throws InvalidInputError.
 */
function verifyWebhook (signingSecret, rawBody, header) {
  const key = secret(signingSecret)
  const body = bytes(rawBody)
  if (typeof header !== 'string') return false
  return native(() => addon.verifyWebhook(key, body, header))
}

/** The X-Uc-Signature value for a body: `v1=<hex HMAC-SHA256>`. */
function signWebhook (signingSecret, rawBody) {
  const key = secret(signingSecret)
  return native(() => addon.signWebhook(key, bytes(rawBody)))
}

/** Reads a delivered event into a plain object; DecodeError when it is not one. */
function parseWebhookEvent (rawBody) {
  return models.webhookEvent(JSON.parse(native(() => addon.parseWebhookEvent(bytes(rawBody)))))
}

/** Checks the signature, then reads the event; InvalidInputError for a wrong signature or a missing secret. */
function verifyAndParseWebhook (signingSecret, rawBody, header) {
  if (!verifyWebhook(signingSecret, rawBody, header)) throw new InvalidInputError('invalid input: the webhook signature does not match its body')
  return parseWebhookEvent(rawBody)
}

module.exports = { verifyWebhook, signWebhook, parseWebhookEvent, verifyAndParseWebhook, SIGNATURE_HEADER }
