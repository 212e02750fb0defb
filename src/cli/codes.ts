/**
 * Stable codes of command-line errors (`KP_CLI_*`). Scripts and the JSON output match on
 * these, so a code never changes meaning once released.
 */

/** Codes of command-line errors. */
export const CLI_CODES = {
  /** A usage mistake: unknown option, missing argument, options that cannot go together. */
  usage: 'KP_CLI_E0001',
  /** apply needs approval, but nobody can answer the prompt (not a terminal, or CI=true). */
  approvalImpossible: 'KP_CLI_E0002',
  /** The run was stopped by Ctrl-C, SIGTERM or a closed stdout/stderr before it finished. */
  interrupted: 'KP_CLI_E0003',
} as const;
