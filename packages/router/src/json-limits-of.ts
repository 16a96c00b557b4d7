import { PACKET_ENVELOPE_DEPTH, PEER_JSON_LIMITS, type JsonLimits } from '@faust/protocol'
import type { ResolvedRouterOptions } from './router-options.js'

/**
 * The JSON limits for workers' input and for the backend's frames. The
 * backend's are the peer limits (docs/security.md): its packets carry workers'
 * values inside their envelope, and whole histories of them (a reload's
 * `past_live_updates`), so only depth is bounded, with room for the envelope
 * around the deepest value a worker may send; its strings may be as long as
 * its frames (64 MiB by default, e.g. a generated image).
 */
export function jsonLimitsOf(options: ResolvedRouterOptions): {
  jsonLimits: JsonLimits
  backendJsonLimits: JsonLimits
} {
  const jsonLimits: JsonLimits = {
    maxDepth: options.maxJsonDepth,
    maxKeys: options.maxJsonKeys,
    maxNodes: options.maxJsonNodes,
    maxStringLength: options.maxJsonStringLength,
  }
  const backendJsonLimits: JsonLimits = {
    ...PEER_JSON_LIMITS,
    maxDepth: Math.max(PEER_JSON_LIMITS.maxDepth, options.maxJsonDepth + PACKET_ENVELOPE_DEPTH),
    maxStringLength: Math.max(options.maxJsonStringLength, options.maxBackendFrameBytes),
  }
  return { jsonLimits, backendJsonLimits }
}
