import type { CrowdProvider, ProviderPlatform, TaskDefinition } from '@faust/backend'
import type { Store } from '@faust/backend/store'
import type { CommandIo, InputStream } from '../command-io.js'
import {
  completionCodeFor,
  crowdProviderFor,
  platformFromEnvironment,
  type RunPlatformOptions,
} from '../providers/backend-api.js'
import { askLine, confirmPublish } from '../providers/confirm-publish.js'
import { pageUrlFor, type ProviderChoice } from '../providers/provider-flags.js'

/** A paid platform's choice (`--provider prolific|mturk`). */
export type PlatformChoice = Extract<ProviderChoice, { kind: 'platform' }>

/** The platform a run publishes on, its provider, and the completion code its page hands back. */
export interface PlatformSetup {
  readonly choice: PlatformChoice
  readonly platform: ProviderPlatform
  readonly provider: CrowdProvider
  readonly completionCode: string
}

/**
 * The platform from the environment (its credentials never come from a
 * flag, so they are in no shell history and no log), before anything else
 * is done: a missing token fails before the router starts.
 */
export function openPlatform(choice: ProviderChoice | undefined): OpenedPlatform | undefined {
  if (choice?.kind !== 'platform') return undefined
  const platform = platformFromEnvironment(choice.type, process.env, { sandbox: choice.sandbox })
  return { choice, platform }
}

/** A platform's choice and the platform itself, before the store is open. */
export interface OpenedPlatform {
  readonly choice: PlatformChoice
  readonly platform: ProviderPlatform
}

/**
 * The run's provider for the platform (none for the mock provider). The completion code comes from the
 * store (created once per task and platform, then kept) because the page's
 * `wrap_crowd_source.js` carries it: it must be known before the site is
 * prepared, and be the same after a restart.
 */
export async function platformSetup(
  opened: OpenedPlatform | undefined,
  where: { readonly store: Store; readonly taskName: string },
): Promise<PlatformSetup | undefined> {
  if (opened === undefined) return undefined
  const { choice, platform } = opened
  const { store, taskName } = where
  const completionCode = await completionCodeFor(store, taskName, platform.type)
  return {
    choice,
    platform,
    provider: crowdProviderFor(platform, completionCode),
    completionCode,
  }
}

/** What `runTask` needs to publish: the listing, the confirmation, the loop's period (none for the mock provider). */
export function runPlatformOptions(input: {
  readonly setup: PlatformSetup | undefined
  readonly task: Pick<TaskDefinition, 'name' | 'listing'>
  readonly routerUrl: string
  readonly io: CommandIo
  readonly stopped: Promise<string>
}): RunPlatformOptions | undefined {
  const { setup, io } = input
  if (setup === undefined) return undefined
  const { choice, platform } = setup
  const stdin: InputStream | undefined = io.stdin
  return {
    platform,
    listing: { ...input.task.listing, pageUrl: pageUrlFor(choice, input.routerUrl) },
    completionCode: setup.completionCode,
    bonusBudgetCents: choice.bonusBudgetCents,
    reconcileEveryMs: choice.reconcileEveryMs,
    confirmPublish: (quote) =>
      confirmPublish(quote, {
        subject: {
          taskName: input.task.name,
          platform: platform.type,
          sandbox: platform.sandbox,
          bonusRate: platform.fees.bonusRate,
        },
        yes: choice.yes,
        budgetCents: choice.budgetCents,
        interactive: stdin?.isTTY === true,
        ask: (question) =>
          stdin === undefined
            ? Promise.resolve('')
            : askLine(question, { input: stdin, output: process.stdout, stopped: input.stopped }),
        output: io.stdout,
      }),
  }
}
