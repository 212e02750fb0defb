/**
 * Stable codes of apply and import errors (`KP_APPLY_*`, `KP_IMPORT_*`). Scripts and the
 * JSON output match on these, so a code never changes meaning once released.
 */

/** Codes of apply errors. */
export const APPLY_CODES = {
  /** Passphrase variables of keys to be created are not set; checked before any change. */
  passphrasesMissing: 'KP_APPLY_E0001',
  /** One key's passphrase variable is not set when its step runs. */
  passphraseMissing: 'KP_APPLY_E0002',
  /** A new key's secret could not be written to its outputs, so the key was deleted again. */
  outputsFailed: 'KP_APPLY_E0003',
  /** Token variables the outputs of keys to be created name (`token_env`) are not set; checked before any change. */
  outputVariablesMissing: 'KP_APPLY_E0004',
  /** A new key did not authenticate within rotation.verify_timeout (a rotation keeps the old key; a create is deleted again). */
  verifyFailed: 'KP_APPLY_E0005',
  /** A step of the apply failed (the JSON view's diagnostic for an `apply_errored` event). */
  stepFailed: 'KP_APPLY_E0100',
} as const;

/** Codes of `keyplan import` errors. */
export const IMPORT_CODES = {
  /** The key cannot be imported: not declared, not found live, or the name already manages a key. */
  refused: 'KP_IMPORT_E0001',
} as const;

/** Codes of `keyplan rotation undo` errors. */
export const UNDO_CODES = {
  /** There is no earlier key to go back to: never rotated, already deleted, or the rotation is unverified. */
  refused: 'KP_UNDO_E0001',
} as const;
