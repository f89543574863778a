// ESM entry: the same exports as index.js.
import ucare from './index.js'

export const {
  Client, Listing, DEFAULT_BASE_URL, UploadcareError, ApiError, AuthenticationError, NotFoundError, ThrottledError,
  BadRequestError, TransportError, TimeoutError, InvalidInputError, OutcomeUnknownError, DecodeError, AbortError, verifyWebhook,
  signWebhook, parseWebhookEvent, verifyAndParseWebhook, SIGNATURE_HEADER, requestSignature
} = ucare
export default ucare
