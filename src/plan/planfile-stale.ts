/**
 * Is a saved plan still the plan? `apply FILE` compares what the plan recorded with what
 * it finds now and names every difference, in the order a reviewer would check them:
 * keyplan's version, the config, the state (lineage and serial, as Terraform does), the
 * live keys (the fingerprint Terraform lacks), and finally the changes a fresh plan
 * would make, which catches what only time moves (a key that came due for rotation
 * since). An empty list means the plan is fresh and may be applied as saved. Pure.
 */
import { scopeKey, type LiveSnapshot } from '../model/live.js';
import type { Plan, PlannedChange } from '../model/plan.js';
import type { KeyplanState } from '../model/state.js';
import { canonicalJson, diffFingerprints, fingerprintLive, type LiveDifference } from './live-fingerprint.js';
import type { SavedPlan } from './planfile.js';

/** Differences listed one by one before the rest are counted. */
const MAX_LISTED = 20;

/** Reasons that need no network: another keyplan version, or a config file whose bytes changed. */
export function preflightStaleness(
  saved: SavedPlan,
  now: { readonly keyplanVersion: string; readonly configFile: string; readonly configSha256: string },
): string[] {
  const reasons: string[] = [];
  if (saved.keyplanVersion !== now.keyplanVersion) {
    reasons.push(`it was made by keyplan v${saved.keyplanVersion}; this is keyplan v${now.keyplanVersion} (plans are applied by the version that made them)`);
  }
  return [...reasons, ...configReasons(saved, now.configFile, now.configSha256)];
}

function configReasons(saved: SavedPlan, file: string, sha256: string): string[] {
  if (saved.config.sha256 === sha256) return [];
  return [`the config ${file} changed since the plan was made (sha256 ${short(saved.config.sha256)}... then, ${short(sha256)}... now)`];
}

/** What a fresh refresh and plan found. */
export interface CurrentView {
  /** The config file as loaded now, and the sha256 (hex) of its bytes. */
  readonly config: { readonly file: string; readonly hash: string };
  readonly state: KeyplanState;
  readonly live: LiveSnapshot;
  readonly plan: Plan;
}

/** Reasons found after reading the state and the live keys again. */
export function staleness(saved: SavedPlan, now: CurrentView): string[] {
  // The config is checked again: it may have changed between the preflight and loading it.
  return [
    ...configReasons(saved, now.config.file, now.config.hash),
    ...stateReasons(saved, now.state),
    ...liveReasons(saved, now),
    ...changeReasons(saved.plan, now.plan),
  ];
}

function stateReasons(saved: SavedPlan, state: KeyplanState): string[] {
  // A state that was never written gets a fresh lineage on every read; serial 0 on both
  // sides means neither run found a state, so there is nothing to compare (as in Terraform).
  if (saved.state.serial === 0 && state.serial === 0) return [];
  if (saved.state.serial === 0) {
    return [`the state was created since the plan was made (none then, serial ${state.serial} now): another apply ran`];
  }
  if (saved.state.lineage !== state.lineage) {
    return [`the state is a different one (lineage ${saved.state.lineage} then, ${state.lineage} now)`];
  }
  if (saved.state.serial !== state.serial) {
    return [`the state changed since the plan was made (serial ${saved.state.serial} then, ${state.serial} now): another apply or a state command ran`];
  }
  return [];
}

function liveReasons(saved: SavedPlan, now: CurrentView): string[] {
  const diffs = diffFingerprints(saved.live, fingerprintLive(now.live));
  if (diffs.length === 0) return [];
  const names = namesById(saved, now.state);
  const lines = diffs.slice(0, MAX_LISTED).map((d) => describe(d, names));
  if (diffs.length > MAX_LISTED) lines.push(`... and ${diffs.length - MAX_LISTED} more`);
  return [`the live keys differ from the ones the plan was computed from:\n      ${lines.join('\n      ')}`];
}

function describe(d: LiveDifference, names: ReadonlyMap<string, string>): string {
  if (d.id === undefined) {
    return `${d.kind} keys of ${d.owner} (provider ${d.provider}): ${d.change === 'scope_added' ? 'now read, not read then' : 'read then, not read now'}`;
  }
  const name = names.get(`${scopeKey(d)}|${d.id}`);
  const what = `${name === undefined ? '' : `key ${name}: `}${d.kind} ${d.id} of ${d.owner} (provider ${d.provider})`;
  switch (d.change) {
    case 'deleted':
      return `${what} was deleted since the plan was made`;
    case 'appeared':
      return `${what} appeared since the plan was made`;
    default:
      return `${what} changed: ${d.detail}`;
  }
}

/** Declared names of live ids, for messages: as the plan recorded them, else as the state knows them now. */
function namesById(saved: SavedPlan, state: KeyplanState): Map<string, string> {
  const names = new Map<string, string>();
  for (const rec of Object.values(state.keys)) {
    for (const inst of [rec.current, ...rec.retiring]) names.set(`${scopeKey(rec)}|${inst.id}`, rec.name);
  }
  for (const k of saved.live.keys) if (k.name !== undefined) names.set(`${scopeKey(k)}|${k.id}`, k.name);
  return names;
}

/** The changes a fresh plan would make that differ from the saved ones, by address. */
function changeReasons(then: Plan, now: Plan): string[] {
  const before = new Map(then.changes.map((c) => [c.address, c]));
  const after = new Map(now.changes.map((c) => [c.address, c]));
  const addresses = [...new Set([...before.keys(), ...after.keys()])].sort();
  const lines: string[] = [];
  for (const address of addresses) {
    const b = before.get(address);
    const a = after.get(address);
    if (b !== undefined && a !== undefined && canonicalJson(b) === canonicalJson(a)) continue;
    const was = summary(b);
    const is = summary(a);
    lines.push(was === is ? `${address}: ${was} as planned, but its details differ` : `${address}: the plan says ${was}, a new plan says ${is}`);
  }
  if (then.errored !== now.errored) lines.push(now.errored ? 'a new plan has errors' : 'the saved plan had errors; a new plan has none');
  if (lines.length === 0) return [];
  const listed = lines.slice(0, MAX_LISTED);
  if (lines.length > MAX_LISTED) listed.push(`... and ${lines.length - MAX_LISTED} more`);
  return [`a new plan would make different changes:\n      ${listed.join('\n      ')}`];
}

function summary(change: PlannedChange | undefined): string {
  if (change === undefined) return 'no change';
  const deletes = change.deletes.length > 0 ? `, deleting ${change.deletes.map((d) => d.id).join(', ')}` : '';
  return `${change.action} (${change.reason}${deletes})`;
}

function short(hash: string): string {
  return hash.slice(0, 12);
}
