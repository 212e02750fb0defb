/**
 * Stable codes of the fake provider's offline checks (`KP_FAKE_*`). The fake is a test
 * provider, but its codes share the project's namespace, so they are registered too.
 */

/** Codes of fake provider diagnostics. */
export const FAKE_CODES = {
  /** Two keys of one owner declare the same label. */
  labelTaken: 'KP_FAKE_E0001',
} as const;
