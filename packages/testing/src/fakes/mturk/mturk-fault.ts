// An error answer in the AWS JSON 1.1 protocol: status, and a body
// `{"__type": <name>, "Message": <text>}` (MTurk's RequestError and
// ServiceFault add `TurkErrorCode`). The SDK reads the error's name from
// `__type` (or the X-Amzn-ErrorType header) and retries by name and status.

export class MturkFault extends Error {
  readonly type: string
  readonly status: number
  readonly turkErrorCode: string | undefined

  constructor(type: string, message: string, status = 400, turkErrorCode?: string) {
    super(message)
    this.type = type
    this.status = status
    this.turkErrorCode = turkErrorCode
  }

  body(): Record<string, unknown> {
    const body: Record<string, unknown> = { __type: this.type, Message: this.message }
    if (this.turkErrorCode !== undefined) body['TurkErrorCode'] = this.turkErrorCode
    return body
  }
}

/** MTurk's answer to a request it refuses (HTTP 400, `RequestError`). */
export function requestError(
  message: string,
  turkErrorCode = 'AWS.MechanicalTurk.InvalidParameterValue',
): MturkFault {
  return new MturkFault('RequestError', message, 400, turkErrorCode)
}

/** The injectable failures and their wire shapes. */
export function faultFor(error: string, status?: number): MturkFault {
  switch (error) {
    case 'ServiceUnavailable':
      return new MturkFault(error, 'Service is unable to handle request.', status ?? 503)
    case 'ThrottlingException':
      return new MturkFault(error, 'Rate exceeded', status ?? 400)
    case 'ServiceFault':
      return new MturkFault(
        error,
        'Service temporarily unavailable.',
        status ?? 500,
        'AWS.MechanicalTurk.ServiceFault',
      )
    case 'RequestError':
      return requestError('Injected request error.')
    default:
      return new MturkFault(error, `Injected ${error}.`, status ?? 400)
  }
}
