/**
 * Stable codes of the OUTSCALE provider's own errors and diagnostics (`KP_OSC_*`); failed
 * API calls are ProviderErrors. A code never changes meaning once released.
 */

/** Codes of OUTSCALE access key errors. */
export const OSC_CODES = {
  /** `expires_in` is not a positive duration. */
  badExpiresIn: 'KP_OSC_E0001',
  /** `expires_in` from the key's creation lies in the past; the key must be rotated instead. */
  expiryInPast: 'KP_OSC_E0002',
  /** The OUTSCALE config file cannot be read or parsed, or lacks the profile. */
  configFile: 'KP_OSC_E0010',
  /** Credentials are missing or unusable. */
  credentials: 'KP_OSC_E0013',
  /** The provider block's settings are invalid. */
  settings: 'KP_OSC_E0020',
  /** ReadAccessKeys says a declared EIM user (`user_name`) does not exist (5075 no-such-user). */
  userNotFound: 'KP_OSC_E0021',
} as const;
