/**
 * A BDS API key's alias is unique per cluster (providers/oci.md §2.3): two declared keys
 * with one alias on one cluster could never both exist, and the second create would only
 * fail at apply time. Aliases are compared exactly, per provider block and cluster.
 */
import { CONFIG_CODES } from './codes.js';
import type { CheckContext, KeyView } from './check-context.js';

const BDS_KIND = 'oci.bds_api_key';

/** Reports each later key that reuses an alias on the same cluster, pointing back at the first. */
export function checkBdsAliases(ctx: CheckContext): void {
  const first = new Map<string, KeyView>();
  for (const key of ctx.keys) {
    if (ctx.stringAt([...key.path, 'kind']) !== BDS_KIND) continue;
    const provider = ctx.stringAt([...key.path, 'provider']);
    const cluster = ctx.stringAt([...key.path, 'cluster']);
    const alias = ctx.stringAt([...key.path, 'alias']);
    if (provider === undefined || cluster === undefined || alias === undefined) continue;
    const id = JSON.stringify([provider, cluster, alias]);
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, key);
      continue;
    }
    const line = ctx.locate([...earlier.path, 'alias']).line;
    ctx.report(
      [...key.path, 'alias'],
      CONFIG_CODES.duplicateBdsAlias,
      `alias "${alias}" is already used on cluster ${cluster} by key "${earlier.name ?? earlier.index}" (line ${line}); aliases must be unique per cluster`,
    );
  }
}
