/** Facts about verifying new keys shared by config (defaults), apply (which records outcomes) and the planner (which reads them back from state). */

/** The `verifyError` recorded when no output holds a pending key's secret any more: the next plan replaces that key. */
export const UNREADABLE_OUTPUTS = 'its outputs no longer hold its secret';

/** `rotation.verify_timeout` when keys.yaml does not set it: long enough for a new cloud key to propagate. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 2 * 60_000;
