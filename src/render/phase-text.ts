/**
 * Rotation phases in words, shared by the human and Markdown plans (the JSON plan carries
 * the same facts as fields): `overlap until T; next: deactivated (due now)`. Read only from
 * the Plan's `phases`, which the planner computed with `now`, so the text is deterministic.
 */
import type { KeyPhases } from '../model/plan.js';
import type { InstancePhase } from '../model/phases.js';

/** Heading of the rotation phases section. */
export const PHASES_HEADING = 'Rotation phases (before this apply):';

/** `overlap until T; next: deleted (due now)`: one key's phase and the next one. */
export function phaseWords(p: InstancePhase): string {
  const now = p.until === undefined ? p.phase : `${p.phase} until ${p.until}`;
  if (p.next === undefined) return now;
  const when = p.next.due ? ' (due now)' : p.next.at !== undefined && p.next.at !== p.until ? ` at ${p.next.at}` : '';
  return `${now}; next: ${p.next.phase}${when}`;
}

/** The lines of one key's phases: its address, then one line per live key, e.g. `retiring AKIA1: overlap until T; next: deactivated`. */
export function keyPhaseLines(k: KeyPhases, quote: (text: string) => string = (text) => text): { readonly head: string; readonly items: readonly string[] } {
  const width = Math.max(...k.instances.map((i) => i.role.length));
  return {
    head: quote(k.address),
    items: k.instances.map((i) => `${i.role.padEnd(width)} ${quote(i.instanceId)}: ${phaseWords(i)}`),
  };
}
