'use strict'
// ucare: a fast, typed client for the Uploadcare REST API. See index.d.ts for the types.

const client = require('./client')
const errors = require('./errors')
const webhooks = require('./webhooks')

exports.Client = client.Client
exports.Listing = client.Listing
exports.DEFAULT_BASE_URL = client.DEFAULT_BASE_URL
exports.UploadcareError = errors.UploadcareError
exports.ApiError = errors.ApiError
exports.AuthenticationError = errors.AuthenticationError
exports.NotFoundError = errors.NotFoundError
exports.ThrottledError = errors.ThrottledError
exports.BadRequestError = errors.BadRequestError
exports.TransportError = errors.TransportError
exports.TimeoutError = errors.TimeoutError
exports.InvalidInputError = errors.InvalidInputError
exports.OutcomeUnknownError = errors.OutcomeUnknownError
exports.DecodeError = errors.DecodeError
exports.AbortError = errors.AbortError
exports.verifyWebhook = webhooks.verifyWebhook
exports.signWebhook = webhooks.signWebhook
exports.parseWebhookEvent = webhooks.parseWebhookEvent
exports.verifyAndParseWebhook = webhooks.verifyAndParseWebhook
exports.SIGNATURE_HEADER = webhooks.SIGNATURE_HEADER
exports.requestSignature = (secretKey, method, body, contentType, date, uri) =>
  require('./native').requestSignature(secretKey, method, Buffer.from(body ?? ''), contentType, date, uri)
