/**
 * Semantic checks on outputs: no two outputs write the same file (they would overwrite
 * each other's secret; OutputModule.writesFileAtPath), except outputs of a type that
 * merges one profile per key into a shared file (OutputModule.sharedByProfile) with
 * distinct profiles; no two outputs of one type write the same secret of a store
 * (OutputModule.destination); and an output that points at the key's `file` output
 * (OutputModule.needsFileOutput) has one beside it.
 */
import { resolve } from 'node:path';
import { CONFIG_CODES } from './codes.js';
import type { CheckContext, KeyView } from './check-context.js';
import type { Path } from './paths.js';
import { asArray, asRecord } from './raw.js';
import type { OutputSpec } from '../model/desired.js';

interface Claim {
  readonly key: KeyView;
  readonly path: Path;
  readonly type: string;
  readonly profile?: string;
}

/** Path conflicts across all keys, and outputs that need a file output. */
export function checkOutputs(ctx: CheckContext): void {
  const isProfileType = (type: string): boolean => ctx.providers.outputs.get(type)?.sharedByProfile === true;
  const claims = new Map<string, Claim[]>();
  const destinations = new Map<string, Claim>();
  for (const key of ctx.keys) {
    const outputs = asArray(key.record['outputs']) ?? [];
    const types: (string | undefined)[] = [];
    for (let j = 0; j < outputs.length; j++) {
      const path = [...key.path, 'outputs', j];
      const type = ctx.stringAt([...path, 'type']);
      types.push(type);
      const output = type === undefined ? undefined : ctx.providers.outputs.get(type);
      const spec = asRecord(outputs[j]);
      if (output?.destination !== undefined && spec !== undefined) {
        claimDestination(ctx, destinations, { key, path, type: output.type }, output.destination(spec as OutputSpec));
      }
      // Only a file path can collide; other outputs may use `path` for something else (a Vault secret).
      const file = output?.writesFileAtPath === true ? ctx.stringAt([...path, 'path']) : undefined;
      if (type === undefined || file === undefined) continue;
      const profile = isProfileType(type) ? ctx.stringAt([...path, 'profile']) : undefined;
      const claim: Claim = { key, path, type, ...(profile !== undefined ? { profile } : {}) };
      // Paths are compared resolved, so `secrets/a.pem` and `./secrets/a.pem` collide.
      const target = resolveIn(ctx.baseDir, file);
      const earlier = claims.get(target) ?? [];
      const conflict = earlier.find((c) => !(isProfileType(type) && c.type === type && c.profile !== profile));
      if (conflict !== undefined) reportConflict(ctx, claim, conflict, file, isProfileType(type));
      else claims.set(target, [...earlier, claim]);
    }

    // When an output's type is itself wrong, the missing `file` output may be that one;
    // the schema error is enough then.
    if (types.includes(undefined) || types.includes('file')) continue;
    for (let j = 0; j < types.length; j++) {
      const type = types[j];
      const why = type === undefined ? undefined : ctx.providers.outputs.get(type)?.needsFileOutput;
      if (why === undefined) continue;
      ctx.report([...key.path, 'outputs', j], CONFIG_CODES.outputNeedsFile, `an ${type} output needs a file output in the same key ${why}`);
    }
  }
}

function claimDestination(ctx: CheckContext, claims: Map<string, Claim>, claim: Claim, destination: string): void {
  const id = `${claim.type}\u0000${destination}`;
  const earlier = claims.get(id);
  if (earlier === undefined) {
    claims.set(id, claim);
    return;
  }
  const where = `${formatOutput(earlier)} (key "${earlier.key.name ?? earlier.key.index}", line ${ctx.locate(earlier.path).line})`;
  ctx.report(claim.path, CONFIG_CODES.outputConflict, `${claim.type} ${destination} is already written by ${where}`);
}

function reportConflict(ctx: CheckContext, claim: Claim, earlier: Claim, file: string, profileType: boolean): void {
  const where = `${formatOutput(earlier)} (key "${earlier.key.name ?? earlier.key.index}", line ${ctx.locate(earlier.path).line})`;
  if (profileType && earlier.type === claim.type) {
    ctx.report([...claim.path, 'profile'], CONFIG_CODES.outputConflict, `profile "${claim.profile ?? ''}" of "${file}" is already written by ${where}`);
  } else {
    ctx.report([...claim.path, 'path'], CONFIG_CODES.outputConflict, `"${file}" is already written by ${where}`);
  }
}

/** A plain relative path (no `.` or `..` segment, no `//`, no trailing `/`) joined to a folder. */
const PLAIN_RELATIVE = /^(?!\.\.?(?:\/|$))(?:[^/]+\/)*[^/]+$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/** `path.resolve(dir, file)` for an absolute `dir`, without its normalising work for the plain paths outputs mostly have. */
export function resolveIn(dir: string, file: string): string {
  if (PLAIN_RELATIVE.test(file) && !DOT_SEGMENT.test(file) && !dir.endsWith('/')) return `${dir}/${file}`;
  return resolve(dir, file);
}

function formatOutput(claim: Claim): string {
  return `keys[${String(claim.path[1])}].outputs[${String(claim.path[3])}]`;
}
