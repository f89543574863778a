'use strict'
// Receiving webhooks: check X-Uc-Signature and read the delivered event.

const addon = require('./native')
const models = require('./models')
const { InvalidInputError, native } = require('./errors')

const SIGNATURE_HEADER = 'x-uc-signature'

const bytes = (body) => (typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body))

/** Whether `header` is the right signature of the raw `body` (constant-time compare). */
function verifyWebhook (signingSecret, rawBody, header) {
  if (typeof header !== 'string') return false
  return addon.verifyWebhook(String(signingSecret), bytes(rawBody), header)
}

/** The X-Uc-Signature value for a body: `v1=<hex HMAC-SHA256>`. */
function signWebhook (signingSecret, rawBody) {
  return addon.signWebhook(String(signingSecret), bytes(rawBody))
}

/** Reads a delivered event into a plain object; DecodeError when it is not one. */
function parseWebhookEvent (rawBody) {
  return models.webhookEvent(JSON.parse(native(() => addon.parseWebhookEvent(bytes(rawBody)))))
}

/** Checks the signature, then reads the event; InvalidInputError for a wrong signature. */
function verifyAndParseWebhook (signingSecret, rawBody, header) {
  if (!verifyWebhook(signingSecret, rawBody, header)) throw new InvalidInputError('invalid input: the webhook signature does not match its body')
  return parseWebhookEvent(rawBody)
}

module.exports = { verifyWebhook, signWebhook, parseWebhookEvent, verifyAndParseWebhook, SIGNATURE_HEADER }
