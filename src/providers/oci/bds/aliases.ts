/**
 * A BDS API key's alias is unique per cluster (providers/oci.md §2.3): two declared keys
 * with one alias on one cluster could never both exist, and the second create would only
 * fail at apply time. Aliases are compared exactly, per provider block and cluster.
 */
import type { Diagnostic } from '../../../errors/diagnostic.js';
import type { DesiredKey } from '../../../model/desired.js';
import type { ValidateRequest } from '../../contract.js';
import { bdsApiKeyKind } from './kind.js';
import { OCI_CODES } from '../codes.js';

/** Diagnostic code: two keys with the same alias on one cluster. */
export const DUPLICATE_BDS_ALIAS = OCI_CODES.duplicateBdsAlias;

/** Reports each later key that reuses an alias on the same cluster, pointing back at the first. */
export function bdsAliasDiagnostics(req: ValidateRequest): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, DesiredKey>();
  for (const key of req.keys) {
    if (key.kind !== bdsApiKeyKind.spec.kind) continue;
    const { cluster, alias } = key.attributes;
    const id = JSON.stringify([cluster, alias]);
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, key);
      continue;
    }
    const place = req.at?.(key, 'alias') ?? {};
    const line = req.at?.(earlier, 'alias').range?.line;
    out.push({
      severity: 'error',
      code: DUPLICATE_BDS_ALIAS,
      message:
        `alias "${String(alias)}" is already used on cluster ${String(cluster)} by key "${earlier.name}"` +
        `${line !== undefined ? ` (line ${line})` : ''}; aliases must be unique per cluster`,
      ...place,
    });
  }
  return out;
}
