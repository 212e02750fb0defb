/**
 * Semantic check on file paths: an output's `path` and the local state's `path` must be
 * names a file system can hold. A NUL byte passes the schema (it is a string of length
 * ≥ 1) but makes every file call fail at apply time, after a key was already created.
 */
import { CONFIG_CODES } from './codes.js';
import type { CheckContext } from './check-context.js';
import type { Path } from './paths.js';
import { asArray } from './raw.js';

const NUL_MESSAGE = 'must not contain a NUL byte (\\0); no file system accepts one in a file name';

/** Reports every path in the config that contains a NUL byte. */
export function checkPaths(ctx: CheckContext): void {
  const paths: Path[] = [['state', 'path']];
  for (const key of ctx.keys) {
    for (const j of (asArray(key.record['outputs']) ?? []).keys()) paths.push([...key.path, 'outputs', j, 'path']);
  }
  for (const path of paths) {
    if (ctx.stringAt(path)?.includes('\0') === true) ctx.report(path, CONFIG_CODES.nulInPath, NUL_MESSAGE);
  }
}
