/** The wire prefix of onboarding agent ids; the frontend tests `startsWith("onboarding")`. */
export const ONBOARDING_ID_PREFIX = 'onboarding_'

/**
 * A reference to either kind of agent. Status history, metadata and error
 * logs accept both, and keep a real foreign key to each table.
 */
export type AgentRef =
  | { readonly kind: 'agent'; readonly id: string }
  | { readonly kind: 'onboarding'; readonly id: string }

/** The id the browser and router see for `ref`: onboarding agents carry {@link ONBOARDING_ID_PREFIX}. */
export function toSubjectId(ref: AgentRef): string {
  return ref.kind === 'onboarding' ? `${ONBOARDING_ID_PREFIX}${ref.id}` : ref.id
}

/** The agent a wire `subject_id`/`agent_id` names; the inverse of {@link toSubjectId}. */
export function parseSubjectId(subjectId: string): AgentRef {
  return subjectId.startsWith(ONBOARDING_ID_PREFIX)
    ? { kind: 'onboarding', id: subjectId.slice(ONBOARDING_ID_PREFIX.length) }
    : { kind: 'agent', id: subjectId }
}

/** The pair of nullable foreign-key columns that store `ref`; exactly one is set. */
export function agentRefColumns(ref: AgentRef): {
  agent_id: string | null
  onboarding_agent_id: string | null
} {
  return ref.kind === 'agent'
    ? { agent_id: ref.id, onboarding_agent_id: null }
    : { agent_id: null, onboarding_agent_id: ref.id }
}
