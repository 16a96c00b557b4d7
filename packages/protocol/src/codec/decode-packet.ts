import * as v from 'valibot'
import { ErrorCode } from '../codes/error-code.js'
import { PacketType } from '../codes/packet-type.js'
import { Packet } from '../packets/packets.js'
import { err, ok, type Result } from '../result.js'
import { checkJsonLimits, DEFAULT_JSON_LIMITS, type JsonLimits } from './json-limits.js'
import type { ProtocolError } from './protocol-error.js'

type AnyPacketSchema = v.GenericSchema<unknown, { packet_type: string }>

const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.values(PacketType))

/** Turns valibot issues into one line such as `data.status: Invalid type: …`. */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = v.getDotPath(issue)
      return path === null ? issue.message : `${path}: ${issue.message}`
    })
    .join('; ')
}

/**
 * Validates an already-parsed JSON value as a packet.
 *
 * @param schema restricts the accepted packet types, e.g. {@link AgentToRouterPacket};
 *   a known type outside it yields `PACKET_NOT_ALLOWED`.
 * @param limits the shape limits the value must keep (`JSON_LIMIT_EXCEEDED`);
 *   `null` only where the caller has already checked them.
 * @example
 * const result = decodePacket(JSON.parse(text), AgentToRouterPacket)
 * if (!result.ok) socket.close(CloseCode.INVALID_PACKET, result.error.message)
 */
export function decodePacket<TSchema extends AnyPacketSchema = typeof Packet>(
  value: unknown,
  schema?: TSchema,
  limits: JsonLimits | null = DEFAULT_JSON_LIMITS,
): Result<v.InferOutput<TSchema>, ProtocolError> {
  if (limits !== null) {
    const checked = checkJsonLimits(value, limits)
    if (!checked.ok) return checked
  }
  const activeSchema = (schema ?? Packet) as TSchema
  const parsed = v.safeParse(activeSchema, value)
  if (parsed.success) return ok(parsed.output)
  const type =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)['packet_type']
      : undefined
  if (typeof type !== 'string') {
    return err({
      code: ErrorCode.PACKET_INVALID,
      message: 'packet_type: a packet needs a string packet_type',
    })
  }
  const first = parsed.issues[0]
  // valibot reports a variant mismatch as an issue on the discriminator itself.
  if (
    first.kind === 'schema' &&
    first.type === 'variant' &&
    v.getDotPath(first) === 'packet_type'
  ) {
    const message = KNOWN_TYPES.has(type)
      ? `packet_type: '${type}' may not be sent by this peer`
      : `packet_type: unknown packet type '${type.slice(0, 64)}'`
    return err({ code: ErrorCode.PACKET_NOT_ALLOWED, message })
  }
  return err({ code: ErrorCode.PACKET_INVALID, message: formatIssues(parsed.issues) })
}

/**
 * Parses JSON text and checks it against `limits`. `JSON.parse` itself copes
 * with any nesting; it is what comes after (stringify, recursive code) that
 * does not, so the check runs on the parsed value, without recursion.
 */
export function parseLimitedJson(text: string, limits: JsonLimits): Result<unknown, ProtocolError> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return err({ code: ErrorCode.MALFORMED_JSON, message: 'the frame is not valid JSON' })
  }
  const checked = checkJsonLimits(value, limits)
  return checked.ok ? ok(value) : checked
}

/** Parses a text frame and validates it; see {@link decodePacket}. */
export function parsePacket<TSchema extends AnyPacketSchema = typeof Packet>(
  text: string,
  schema?: TSchema,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): Result<v.InferOutput<TSchema>, ProtocolError> {
  const parsed = parseLimitedJson(text, limits)
  return parsed.ok ? decodePacket(parsed.value, schema, null) : parsed
}
