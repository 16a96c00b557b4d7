import { ProviderError } from '../../util/backend-error.js'

// How an error thrown by @aws-sdk/client-mturk (after the SDK's own retries)
// becomes a ProviderError with a stable code. MTurk's modelled errors are
// RequestError (client fault, HTTP 400) and ServiceFault (server fault); the
// AWS JSON 1.1 protocol adds the generic ones (ThrottlingException,
// ServiceUnavailable, signature and credential failures).

const AUTH_FAILED = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AccessDeniedException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
])
const UNAVAILABLE = new Set([
  'ServiceFault',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
])
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

interface SdkErrorShape {
  readonly name?: unknown
  readonly code?: unknown
  readonly message?: unknown
  readonly TurkErrorCode?: unknown
  readonly $metadata?: { readonly httpStatusCode?: number | undefined }
}

/** The ProviderError for what an MTurk call threw; `operation` names the call in the message. */
export function mturkError(operation: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape
  const name = typeof shape.name === 'string' ? shape.name : 'Error'
  const message = typeof shape.message === 'string' ? shape.message : String(error)
  const status = shape.$metadata?.httpStatusCode
  const turkCode = typeof shape.TurkErrorCode === 'string' ? shape.TurkErrorCode : undefined
  const options = { cause: error, status, providerCode: turkCode ?? name }
  const text = `MTurk ${operation}: ${name}: ${message}`
  return new ProviderError(
    codeFor({ name, code: shape.code, message, status, turkCode }),
    text,
    options,
  )
}

interface ErrorFacts {
  readonly name: string
  readonly code: unknown
  readonly message: string
  readonly status: number | undefined
  readonly turkCode: string | undefined
}

function codeFor({ name, code, message, status, turkCode }: ErrorFacts): ProviderError['code'] {
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return 'PROVIDER_AUTH_MISSING'
  }
  if (AUTH_FAILED.has(name) || status === 401 || status === 403) return 'PROVIDER_AUTH_FAILED'
  if (UNAVAILABLE.has(name) || (typeof code === 'string' && NETWORK_CODES.has(code))) {
    return 'PROVIDER_UNAVAILABLE'
  }
  if (status !== undefined && status >= 500) return 'PROVIDER_UNAVAILABLE'
  if (name === 'RequestError' || name === 'ValidationException') {
    const detail = `${turkCode ?? ''} ${message}`
    if (/insufficientfunds|not have enough funds|insufficient funds/i.test(detail)) {
      return 'PROVIDER_INSUFFICIENT_FUNDS'
    }
    if (/doesnotexist|notfound|does not exist|not found/i.test(detail)) return 'PROVIDER_NOT_FOUND'
    return 'PROVIDER_REQUEST_INVALID'
  }
  if (name === 'SerializationException' || /deserializ|unexpected token|json/i.test(message)) {
    return 'PROVIDER_RESPONSE_INVALID'
  }
  if (status !== undefined && status >= 400) return 'PROVIDER_REQUEST_INVALID'
  return 'PROVIDER_UNAVAILABLE'
}
