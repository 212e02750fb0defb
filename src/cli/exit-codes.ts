/** keyplan's exit codes: documented, never overloaded. */
export const ExitCode = {
  /** Success; for `plan --detailed-exitcode`: success and no changes. */
  Ok: 0,
  /** Any error. */
  Error: 1,
  /** `plan --detailed-exitcode` only: success, changes present. */
  Changes: 2,
  /** `status --expiring-within` only: a key expires or comes due within the window (the same 2 a scheduled job checks). */
  Due: 2,
  /** A saved plan is stale. */
  StalePlan: 3,
  /** Apply finished partially: some changes failed; state records what succeeded. */
  Partial: 4,
} as const;
