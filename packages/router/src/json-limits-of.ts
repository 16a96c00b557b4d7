import type { JsonLimits } from '@faust/protocol'
import type { ResolvedRouterOptions } from './router-options.js'

/**
 * The JSON limits for workers' input and for the backend's frames. They share
 * depth, keys and nodes; the backend's strings may be as long as its frames
 * (64 MiB by default, e.g. a generated image), the workers' as their bodies.
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
    ...jsonLimits,
    maxStringLength: Math.max(options.maxJsonStringLength, options.maxBackendFrameBytes),
  }
  return { jsonLimits, backendJsonLimits }
}
