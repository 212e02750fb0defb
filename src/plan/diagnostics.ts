/**
 * The planner's diagnostics: stable codes and the sentences it reports. The planner never
 * throws; whatever it cannot plan becomes one of these, and an error makes the plan
 * unappliable (`Plan.errored`).
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { DesiredKey } from '../model/desired.js';

/** Stable codes of planner diagnostics. */
export const PLAN_CODES = {
  internal: 'KP_PLAN_E0000',
  unknownKind: 'KP_PLAN_E0001',
  quotaExceeded: 'KP_PLAN_E0002',
  overlapRequired: 'KP_PLAN_E0003',
  duplicateName: 'KP_PLAN_E0004',
  matchTaken: 'KP_PLAN_E0005',
  orderCycle: 'KP_PLAN_E0006',
  nameTaken: 'KP_PLAN_E0007',
  nameFamilyOverlap: 'KP_PLAN_E0008',
  nameFamilyStrangers: 'KP_PLAN_W0008',
  rotateUnknown: 'KP_PLAN_W0001',
  rotateCreated: 'KP_PLAN_W0002',
  targetUnknown: 'KP_PLAN_W0003',
  badTimestamp: 'KP_PLAN_W0004',
  rotateNotTargeted: 'KP_PLAN_W0005',
  scopeNotRead: 'KP_PLAN_W0006',
  interruptedDeferred: 'KP_PLAN_W0007',
  /** A live key carries keyplan's marker but the state does not record it (W0008 is nameFamilyStrangers). */
  recoverable: 'KP_PLAN_W0009',
  /** `--target` was given: the plan may not show every change keys.yaml asks for. */
  targeting: 'KP_PLAN_W0010',
} as const;

/** Where a declared key sits in the config: `keys[i]` and its source range. */
export interface KeyLocation {
  readonly index: number;
  readonly key: DesiredKey;
}

/** A diagnostic about a declared key, pointing at its entry (or a property inside it). */
export function keyDiagnostic(severity: Diagnostic['severity'], code: string, message: string, at: KeyLocation | undefined, property?: string): Diagnostic {
  if (at === undefined) return { severity, code, message };
  const path = property === undefined ? `keys[${at.index}]` : `keys[${at.index}].${property}`;
  return at.key.source === undefined ? { severity, code, message, path } : { severity, code, message, path, range: at.key.source };
}

/** A diagnostic that belongs to no declared key (command-line options, state). */
export function planDiagnostic(severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  return { severity, code, message };
}

/** The bug report for an exception the planner did not expect; the plan becomes errored. */
export function internalDiagnostic(error: unknown): Diagnostic {
  const detail = error instanceof Error ? error.message : String(error);
  return planDiagnostic('error', PLAN_CODES.internal, `bug in keyplan's planner: ${detail}; please open an issue with the command you ran`);
}
