/**
 * The checks of `apply PLANFILE` that need no network, done before any config is loaded
 * or lock taken: the file is a plan file of this format version, made by this keyplan,
 * from a config whose bytes have not changed. The checks that need the state and the
 * providers (lineage and serial, live keys, a fresh plan) run under the lock in
 * `Workspace.applySaved`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KeyplanError } from './errors/errors.js';
import { PLAN_FILE_CODES, PlanFileVersionError, readPlanFile, StalePlanError, type SavedPlan } from './plan/planfile.js';
import { preflightStaleness } from './plan/planfile-stale.js';
import { keyplanVersion } from './version.js';

/** A saved plan that passed the offline checks, and the config file it applies to. */
export interface CheckedSavedPlan {
  /** The plan file as named on the command line (for messages). */
  readonly file: string;
  readonly saved: SavedPlan;
  /** The config to open: `-f` if given, else the one the plan recorded. */
  readonly configFile: string;
}

/**
 * Reads `planFile` and refuses it, before touching the network, when it is stale already.
 * @throws StalePlanError (exit 3) for another format or keyplan version, or a changed config;
 *   KeyplanError when the file is not a plan file, or its config cannot be found.
 */
export async function readSavedPlan(planFile: string, options: { readonly configFile?: string | undefined } = {}): Promise<CheckedSavedPlan> {
  const saved = await readPlanFile(planFile).catch((error: unknown) => {
    // For apply, a plan of another format version is one more reason to plan again (exit 3).
    throw error instanceof PlanFileVersionError ? new StalePlanError(planFile, [error.reason]) : error;
  });
  const configFile = options.configFile ?? saved.config.file;
  const configSha256 = await sha256OfFile(configFile);
  if (configSha256 === undefined && options.configFile === undefined) {
    throw new KeyplanError(
      `${planFile} was made from the config ${configFile}, which cannot be read from here (${path.resolve(configFile)}); run apply in the folder plan ran in, or name the config with -f`,
      { code: PLAN_FILE_CODES.configMissing, source: 'user' },
    );
  }
  // A config named with -f that cannot be read is reported by loading it, with the usual message.
  if (configSha256 !== undefined) {
    const reasons = preflightStaleness(saved, { keyplanVersion: keyplanVersion(), configFile, configSha256 });
    if (reasons.length > 0) throw new StalePlanError(planFile, reasons);
  }
  return { file: planFile, saved, configFile };
}

/** sha256 (hex) of a file's bytes, as the config loader computes it; undefined when unreadable. */
async function sha256OfFile(file: string): Promise<string | undefined> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return undefined;
  }
}
