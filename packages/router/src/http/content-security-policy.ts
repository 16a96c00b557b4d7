/**
 * The task page's Content-Security-Policy, as directive → sources.
 *
 * The default lets the pages Faust and Mephisto build run unchanged: Vite
 * builds need only 'self'; `mephisto-task` webpack builds use
 * `eval-source-map` in development (so 'unsafe-eval') and inject `<style>`
 * tags, Mephisto's static-HTML tasks carry inline scripts, and task pages
 * commonly take CSS and fonts from https CDNs and images or media from S3.
 * What it still stops: plugins, a `<base>` that re-points scripts, scripts
 * or sockets from other hosts, and framing by any site but the router's own
 * and the crowd provider's (MTurk shows tasks in an iframe on *.mturk.com).
 */
const DEFAULT_DIRECTIVES: readonly (readonly [string, readonly string[]])[] = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'", "'unsafe-inline'", "'unsafe-eval'"]],
  ['style-src', ["'self'", "'unsafe-inline'", 'https:']],
  ['font-src', ["'self'", 'data:', 'https:']],
  ['img-src', ["'self'", 'data:', 'blob:', 'https:']],
  ['media-src', ["'self'", 'data:', 'blob:', 'https:']],
  // 'self' covers the page's own ws:// and wss:// (CSP level 3).
  ['connect-src', ["'self'"]],
  ['worker-src', ["'self'", 'blob:']],
  ['object-src', ["'none'"]],
  ['base-uri', ["'self'"]],
  // MTurk's ExternalQuestion submits a form to its own https origin.
  ['form-action', ["'self'", 'https:']],
]

/** What shapes the policy; see the router's `csp`, `cspExtra` and `frameAncestors` options. */
export interface PolicyOptions {
  /** Replaces the default policy whole. */
  readonly csp: string | undefined
  /** `directive source…; …`: sources appended to those directives (created if missing). */
  readonly cspExtra: string
  /** Origins besides 'self' that may frame the page. */
  readonly frameAncestors: readonly string[]
}

/** The policy text for {@link PolicyOptions}, or '' for none (an empty `csp`). */
export function buildContentSecurityPolicy(options: PolicyOptions): string {
  if (options.csp !== undefined) {
    const replaced = parsePolicy(options.csp)
    if (replaced.size === 0) return ''
    appendSources(replaced, parsePolicy(options.cspExtra))
    return formatPolicy(replaced)
  }
  const policy = new Map<string, string[]>(
    DEFAULT_DIRECTIVES.map(([name, sources]) => [name, [...sources]]),
  )
  policy.set('frame-ancestors', ["'self'", ...options.frameAncestors])
  appendSources(policy, parsePolicy(options.cspExtra))
  return formatPolicy(policy)
}

/** `a x y; b z` → { a: [x, y], b: [z] }; directive names lower-cased, as CSP compares them. */
export function parsePolicy(text: string): Map<string, string[]> {
  const policy = new Map<string, string[]>()
  for (const directive of text.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/)
    if (name === undefined || name === '') continue
    const key = name.toLowerCase()
    if (!/^[a-z-]+$/.test(key)) throw new RangeError(`not a CSP directive name: '${name}'`)
    policy.set(key, [...(policy.get(key) ?? []), ...sources])
  }
  return policy
}

function appendSources(policy: Map<string, string[]>, extra: Map<string, string[]>): void {
  for (const [name, sources] of extra) {
    const current = policy.get(name) ?? []
    // 'none' with anything else is ignored by browsers: extra sources replace it.
    const kept = current.filter((source) => source !== "'none'")
    policy.set(name, [...kept, ...sources.filter((source) => !kept.includes(source))])
  }
}

function formatPolicy(policy: Map<string, string[]>): string {
  return [...policy].map(([name, sources]) => [name, ...sources].join(' ')).join('; ')
}
