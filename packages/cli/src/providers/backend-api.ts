// The CLI's one door to the run-side backend API of real crowd platforms
// (docs/providers.md): the provider core and the Prolific and MTurk platforms
// of @faust/backend, so the rest of the CLI is written against these names.
export {
  crowdProviderFor,
  completionCodeFor,
  reconcileRun,
  runTask,
  platformFromEnvironment,
} from '@faust/backend'
export type {
  CostQuote,
  ListingOptions,
  RunPlatformOptions,
  ReconcileEvent,
  ReconcileEventKind,
  ReconcileReport,
  ReviewAction,
  ReviewOutcome,
  PlatformType,
} from '@faust/backend'
