import { requestError } from './mturk-fault.js'

// Request validation as MTurk's API reference states it per field (required
// members, lengths, ranges, Reward's decimal-string format). A violation is
// a RequestError, HTTP 400, as MTurk answers.

export type Params = Readonly<Record<string, unknown>>

export function requiredString(params: Params, name: string, maxLength = 65_535): string {
  const value = params[name]
  if (typeof value !== 'string' || value.length === 0)
    throw requestError(
      `Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    )
  if (value.length > maxLength)
    throw requestError(`${name} must be at most ${maxLength} characters`)
  return value
}

export function optionalString(
  params: Params,
  name: string,
  maxLength = 65_535,
): string | undefined {
  return params[name] === undefined ? undefined : requiredString(params, name, maxLength)
}

export function requiredInteger(params: Params, name: string, min: number, max: number): number {
  const value = params[name]
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw requestError(
      `Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    )
  if (value < min || value > max)
    throw requestError(`${name} must be between ${min} and ${max}, got ${value}`)
  return value
}

export function optionalInteger(
  params: Params,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  return params[name] === undefined ? fallback : requiredInteger(params, name, min, max)
}

/** MTurk's timestamps are epoch seconds in AWS JSON 1.1. */
export function requiredTimestamp(params: Params, name: string): number {
  const value = params[name]
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw requestError(`${name} must be a timestamp`)
  return value * 1000
}

/** A dollar amount string: "5", "0.50", "101.42" (no currency symbol), as integer cents. */
export function dollars(params: Params, name: string, minCents: number): number {
  const value = requiredString(params, name, 20)
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value)
  if (match === null) throw requestError(`${name} is not a valid amount: ${value}`)
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  if (cents < minCents) throw requestError(`${name} must be at least ${minCents} cents`)
  return cents
}

export function centsToDollars(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`
}

/** An opaque NextToken and MaxResults (1–100, capped by the fake's page size). */
export function page<T>(
  params: Params,
  items: readonly T[],
  pageSize: number,
): { items: T[]; nextToken?: string } {
  const max = Math.min(optionalInteger(params, 'MaxResults', 1, 100, 100), pageSize)
  const token = optionalString(params, 'NextToken')
  let start = 0
  if (token !== undefined) {
    const decoded = /^p:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'))
    if (decoded === null) throw requestError('NextToken is invalid')
    start = Number(decoded[1])
  }
  const slice = items.slice(start, start + max)
  const next =
    start + max < items.length ? Buffer.from(`p:${start + max}`).toString('base64') : undefined
  return next === undefined ? { items: slice } : { items: slice, nextToken: next }
}

const EXTERNAL_QUESTION_NS =
  'http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd'

/** Tags balanced and properly nested, no stray `<` or `&` (enough of XML well-formedness for a Question). */
function wellFormed(xml: string): boolean {
  const stack: string[] = []
  const tags = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g
  let last = 0
  for (let match = tags.exec(xml); match !== null; match = tags.exec(xml)) {
    if (/[<>]|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(xml.slice(last, match.index)))
      return false
    last = tags.lastIndex
    const [, closing, name, , selfClosing] = match
    if (selfClosing === '/') continue
    if (closing === '/') {
      if (stack.pop() !== name) return false
    } else stack.push(name ?? '')
  }
  return stack.length === 0 && !/[<>]/.test(xml.slice(last))
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}

/**
 * The ExternalURL of an ExternalQuestion (ExternalQuestion.xsd, 2006-07-14):
 * well-formed, in its namespace, a FrameHeight, and an https URL (MTurk
 * requires https; loopback http is allowed here so tests can use a local page).
 */
export function externalUrl(question: string): string {
  const xml = question.replace(/^\s*<\?xml[^?]*\?>/, '').trim()
  if (!wellFormed(xml))
    throw requestError('The Question is not well-formed XML', 'AWS.MechanicalTurk.XMLParseError')
  const root = /^<ExternalQuestion\s+xmlns="([^"]*)"\s*>([\s\S]*)<\/ExternalQuestion>$/.exec(xml)
  if (root?.[1] !== EXTERNAL_QUESTION_NS)
    throw requestError('The Question is not an ExternalQuestion')
  const body = root[2] ?? ''
  const url = /<ExternalURL>([^<]*)<\/ExternalURL>/.exec(body)
  if (url === null || !/<FrameHeight>\d+<\/FrameHeight>/.test(body)) {
    throw requestError('An ExternalQuestion needs an ExternalURL and a FrameHeight')
  }
  const text = unescapeXml(url[1] ?? '').trim()
  let parsed: URL
  try {
    parsed = new URL(text)
  } catch {
    throw requestError(`ExternalURL is not a URL: ${text}`)
  }
  const loopback =
    parsed.hostname === '127.0.0.1' ||
    parsed.hostname === 'localhost' ||
    parsed.hostname === '[::1]'
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw requestError('ExternalURL must use https')
  }
  return text
}
