/**
 * Semantic checks on outputs: no two outputs write the same file (they would overwrite
 * each other's secret), except oci_config (and osc_config) outputs, which merge distinct
 * profiles into one shared OCI (OUTSCALE) config file by design; and an oci_config output has a `file` output beside it
 * to hold the private key its profile's key_file points to.
 */
import { resolve } from 'node:path';
import { CONFIG_CODES } from './codes.js';
import type { CheckContext, KeyView } from './check-context.js';
import type { Path } from './paths.js';
import { asArray } from './raw.js';

/** Output types that merge one profile per key into a shared file. */
const PROFILE_TYPES: ReadonlySet<string> = new Set(['oci_config', 'osc_config']);

interface Claim {
  readonly key: KeyView;
  readonly path: Path;
  readonly type: string;
  readonly profile?: string;
}

/** Path conflicts across all keys, and oci_config needing a file output. */
export function checkOutputs(ctx: CheckContext): void {
  const claims = new Map<string, Claim[]>();
  for (const key of ctx.keys) {
    const outputs = asArray(key.record['outputs']) ?? [];
    const types: (string | undefined)[] = [];
    for (const j of outputs.keys()) {
      const path = [...key.path, 'outputs', j];
      const type = ctx.stringAt([...path, 'type']);
      types.push(type);
      const file = ctx.stringAt([...path, 'path']);
      if (type === undefined || file === undefined) continue;
      const profile = PROFILE_TYPES.has(type) ? ctx.stringAt([...path, 'profile']) : undefined;
      const claim: Claim = { key, path, type, ...(profile !== undefined ? { profile } : {}) };
      // Paths are compared resolved, so `secrets/a.pem` and `./secrets/a.pem` collide.
      const target = resolve(ctx.baseDir, file);
      const earlier = claims.get(target) ?? [];
      const conflict = earlier.find((c) => !(PROFILE_TYPES.has(type) && c.type === type && c.profile !== profile));
      if (conflict !== undefined) reportConflict(ctx, claim, conflict, file);
      else claims.set(target, [...earlier, claim]);
    }

    // When an output's type is itself wrong, the missing `file` output may be that one;
    // the schema error is enough then.
    if (types.includes(undefined) || types.includes('file')) continue;
    for (const [j, type] of types.entries()) {
      if (type !== 'oci_config') continue;
      ctx.report(
        [...key.path, 'outputs', j],
        CONFIG_CODES.ociConfigWithoutFile,
        'an oci_config output needs a file output in the same key (it holds the private key the profile\'s key_file points to)',
      );
    }
  }
}

function reportConflict(ctx: CheckContext, claim: Claim, earlier: Claim, file: string): void {
  const where = `${formatOutput(earlier)} (key "${earlier.key.name ?? earlier.key.index}", line ${ctx.locate(earlier.path).line})`;
  if (PROFILE_TYPES.has(claim.type) && earlier.type === claim.type) {
    ctx.report(
      [...claim.path, 'profile'],
      CONFIG_CODES.outputConflict,
      `profile "${claim.profile ?? ''}" of "${file}" is already written by ${where}`,
    );
  } else {
    ctx.report([...claim.path, 'path'], CONFIG_CODES.outputConflict, `"${file}" is already written by ${where}`);
  }
}

function formatOutput(claim: Claim): string {
  return `keys[${String(claim.path[1])}].outputs[${String(claim.path[3])}]`;
}
