/**
 * Saved plans: the versioned JSON file `keyplan plan --out` writes and `keyplan apply FILE`
 * and `keyplan show FILE` read. Besides the plan itself it records everything the plan
 * was computed from, so that apply can refuse a plan the world has moved away from: the
 * config file's hash, the state's lineage and serial, a fingerprint of the live keys, the
 * planning options and keyplan's version.
 *
 * A plan file holds no secrets: the Plan carries none by construction, and passphrases
 * appear only as the names of their environment variables (in the config, not here).
 * It is written atomically with mode 0600 all the same: it names users and key ids.
 */
import { readFile } from 'node:fs/promises';
import { KeyplanError } from '../errors/errors.js';
import type { KeyplanConfig } from '../model/desired.js';
import { scopeKey, type LiveSnapshot } from '../model/live.js';
import type { Plan } from '../model/plan.js';
import type { KeyplanState } from '../model/state.js';
import { atomicWriteFile } from '../fs/atomic-write.js';
import { fingerprintLive, type LiveFingerprint } from './live-fingerprint.js';
import { checkPlanFileShape } from './planfile-schema.js';

/** The version of the plan file's shape that this keyplan writes and reads. */
export const PLAN_FILE_VERSION = 1;

/** Codes of plan-file errors. */
export const PLAN_FILE_CODES = {
  unreadable: 'KP_PLANFILE_E0001',
  invalid: 'KP_PLANFILE_E0002',
  unwritable: 'KP_PLANFILE_E0003',
  configMissing: 'KP_PLANFILE_E0004',
  version: 'KP_PLANFILE_E0005',
  stale: 'KP_PLANFILE_E0010',
} as const;

/** The planning options a saved plan was made with; apply re-plans with exactly these. */
export interface SavedPlanOptions {
  readonly targets: readonly string[];
  readonly rotate: readonly string[];
}

/** A saved plan file. */
export interface SavedPlan {
  readonly format: 'keyplan-plan';
  readonly formatVersion: typeof PLAN_FILE_VERSION;
  /** Version of the keyplan that made it; another version refuses to apply it. */
  readonly keyplanVersion: string;
  /** The config as given on the command line (apply reads it from there unless -f says otherwise) and the sha256 (hex) of its bytes. */
  readonly config: { readonly file: string; readonly sha256: string };
  /** The state the plan was computed against. */
  readonly state: { readonly lineage: string; readonly serial: number };
  /** The live keys the plan was computed from. */
  readonly live: LiveFingerprint;
  readonly options: SavedPlanOptions;
  /** Whether the plan has any change: a plan without changes is recognisable from the file alone. */
  readonly changesPresent: boolean;
  readonly plan: Plan;
}

/** Everything a saved plan is built from. */
export interface SavedPlanInput {
  readonly plan: Plan;
  readonly config: KeyplanConfig;
  readonly state: KeyplanState;
  readonly live: LiveSnapshot;
  readonly options: SavedPlanOptions;
  readonly keyplanVersion: string;
}

/** Builds the saved form of a plan. Pure. */
export function savedPlanOf(input: SavedPlanInput): SavedPlan {
  return {
    format: 'keyplan-plan',
    formatVersion: PLAN_FILE_VERSION,
    keyplanVersion: input.keyplanVersion,
    config: { file: input.config.file, sha256: input.config.hash },
    state: { lineage: input.state.lineage, serial: input.state.serial },
    live: withNames(fingerprintLive(input.live), input.state),
    options: { targets: [...input.options.targets], rotate: [...input.options.rotate] },
    changesPresent: input.plan.changes.length > 0,
    plan: input.plan,
  };
}

/** The exact bytes of a plan file: deterministic, so the same plan saved twice is the same file. */
export function serializeSavedPlan(saved: SavedPlan): string {
  return `${JSON.stringify(saved, null, 2)}\n`;
}

/**
 * Parses and checks a plan file's text; `source` names it in messages.
 * @throws KeyplanError KP_PLANFILE_E0002 for anything that is not a valid plan file, and
 *   PlanFileVersionError for a plan file of another format version.
 */
export function parseSavedPlan(text: string, source: string): SavedPlan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw invalid(`${source} is not a keyplan plan file: it is not JSON (${(error as Error).message})`, error);
  }
  const envelope = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  if (envelope['format'] !== 'keyplan-plan') throw invalid(`${source} is not a keyplan plan file (made by "keyplan plan --out FILE")`);
  const version = envelope['formatVersion'];
  if (version !== PLAN_FILE_VERSION) {
    const by = typeof envelope['keyplanVersion'] === 'string' ? ` by keyplan v${envelope['keyplanVersion']}` : '';
    throw new PlanFileVersionError(
      source,
      `it was written${by} in plan file format ${JSON.stringify(version)}; this keyplan reads format ${PLAN_FILE_VERSION} only`,
    );
  }
  const problems = checkPlanFileShape(doc);
  if (problems.length > 0) throw invalid(`${source} is not a valid keyplan plan file:\n  ${problems.slice(0, 20).join('\n  ')}`);
  return doc as SavedPlan;
}

/** Reads and checks a plan file. @throws KeyplanError when it cannot be read or is not a plan file. */
export async function readPlanFile(path: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new KeyplanError(`cannot read plan file ${path}: ${why}`, { code: PLAN_FILE_CODES.unreadable, source: 'user', cause: error });
  }
  return parseSavedPlan(text, path);
}

/**
 * Writes a plan file atomically (temp file, fsync, rename) with mode 0600. The text is
 * checked against the schema first: a file that `apply` would reject must never be written.
 */
export async function writePlanFile(path: string, saved: SavedPlan): Promise<void> {
  const text = serializeSavedPlan(saved);
  parseSavedPlan(text, path);
  try {
    await atomicWriteFile(path, text, { mode: 0o600 });
  } catch (error) {
    throw new KeyplanError(`cannot write plan file ${path}: ${(error as Error).message}`, { code: PLAN_FILE_CODES.unwritable, source: 'user', cause: error });
  }
}

/** A saved plan no longer matches what it was computed from; `apply` exits 3. */
export class StalePlanError extends KeyplanError {
  /** One sentence per thing that moved. */
  readonly reasons: readonly string[];

  constructor(file: string, reasons: readonly string[]) {
    super(
      `Saved plan ${file} is stale; it was not applied:\n${reasons.map((r) => `  - ${r}`).join('\n')}\nNothing was changed. Run keyplan plan again and review the new plan.`,
      { code: PLAN_FILE_CODES.stale, source: 'user' },
    );
    this.reasons = reasons;
  }
}

/** Adds the declared name of each live key the state knows, so a refusal can say "key deployer" even after the state moved on. */
function withNames(live: LiveFingerprint, state: KeyplanState): LiveFingerprint {
  const names = new Map<string, string>();
  for (const rec of Object.values(state.keys)) {
    for (const inst of [rec.current, ...rec.retiring]) names.set(`${scopeKey(rec)}|${inst.id}`, rec.name);
  }
  const keys = live.keys.map((k) => {
    const name = names.get(`${scopeKey(k)}|${k.id}`);
    return name === undefined ? k : { ...k, name };
  });
  return { ...live, keys };
}

/** A plan file of another format version: `show` cannot print it, and `apply` refuses it as stale (exit 3). */
export class PlanFileVersionError extends KeyplanError {
  /** The refusal as one of StalePlanError's reasons. */
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file} cannot be read: ${reason}; run keyplan plan again with this keyplan`, { code: PLAN_FILE_CODES.version, source: 'user' });
    this.reason = reason;
  }
}

function invalid(message: string, cause?: unknown): KeyplanError {
  return new KeyplanError(message, { code: PLAN_FILE_CODES.invalid, source: 'user', cause });
}
