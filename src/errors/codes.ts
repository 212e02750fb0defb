/**
 * Codes of the error classes' defaults, for areas that have no folder of their own.
 * errors/ is the bottom layer, so the classes cannot take their defaults from the areas'
 * registries above. Scripts and the JSON output match on codes: a code never changes
 * meaning once released, and a new meaning gets a new code.
 */

/** `KP_INTERNAL_*`: a bug in keyplan or in a provider adapter. */
export const INTERNAL_CODES = {
  /** Any internal error ({@link InternalError}); the CLI adds an "open an issue" hint. */
  bug: 'KP_INTERNAL_E0001',
} as const;

/** `KP_PROVIDER_*`: a provider call failed, for adapters that have no code of their own. */
export const PROVIDER_CODES = {
  /** The default code of a ProviderError. */
  callFailed: 'KP_PROVIDER_E0001',
} as const;

/** `KP_SANDBOX_*`: the local sandbox of emulators. */
export const SANDBOX_CODES = {
  /** A provider block (`endpoint: sandbox`) or an output asks for the sandbox, but the sandbox has no emulator of its type. */
  noEmulator: 'KP_SANDBOX_E0001',
  /** `keyplan sandbox session-token` cannot write the profile it was asked for. */
  sessionProfile: 'KP_SANDBOX_E0002',
} as const;
