/**
 * Declared keys against their provider's per-owner quota (KindSpec.quota, e.g. 3 API
 * keys per user, shared by two kinds of one provider), from keys.yaml alone: no network,
 * no credential, so `validate` catches a key too many for one user in a pull request.
 * Each key past the limit is reported at
 * the field naming its owner. Keys that keyplan does not manage also hold slots; only the
 * planner sees those (plan/quota.ts counts the live keys).
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { DesiredKey, KeyplanConfig } from '../model/desired.js';
import type { KindSpec } from '../providers/contract.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { CONFIG_CODES } from './codes.js';

type Quota = NonNullable<KindSpec['quota']>;

interface Pool {
  readonly owner: string;
  readonly quota: Quota;
  readonly keys: { readonly key: DesiredKey; readonly index: number }[];
}

/** One error per declared key that does not fit in its owner's quota, in file order. */
export function quotaDiagnostics(config: KeyplanConfig, providers: ProviderRegistry): Diagnostic[] {
  const limits = groupLimits(providers);
  const pools = new Map<string, Pool>();
  config.keys.forEach((key, index) => {
    const quota = providers.kind(key.kind)?.spec.quota;
    const owner = quota === undefined ? undefined : quotaOwner(key, quota);
    if (quota === undefined || owner === undefined) return;
    const id = `${key.provider}|${quota.group}|${owner}`;
    const pool = pools.get(id) ?? { owner, quota, keys: [] };
    pool.keys.push({ key, index });
    pools.set(id, pool);
  });
  const out: Diagnostic[] = [];
  for (const pool of pools.values()) {
    const limit = limits.get(pool.quota.group) ?? pool.quota.perOwner;
    if (pool.keys.length <= limit) continue;
    const names = pool.keys.map(({ key }) => key.name).join(', ');
    const message = `user ${pool.owner} would need ${pool.keys.length} ${pool.quota.noun}; ${pool.quota.authority} allows ${limit} per user (declared: ${names})`;
    for (const { key, index } of pool.keys.slice(limit)) out.push(at(key, index, ownerField(key, pool), message));
  }
  return out;
}

/** Kinds sharing a quota group share its slots; if their limits disagree the smaller holds (as in plan/quota.ts). */
function groupLimits(providers: ProviderRegistry): Map<string, number> {
  const limits = new Map<string, number>();
  for (const spec of Object.values(providers.kinds)) {
    if (spec.quota !== undefined) limits.set(spec.quota.group, Math.min(limits.get(spec.quota.group) ?? spec.quota.perOwner, spec.quota.perOwner));
  }
  return limits;
}

function quotaOwner(key: DesiredKey, quota: Quota): string | undefined {
  if (quota.ownerAttribute === undefined) return key.owner;
  const value = key.attributes[quota.ownerAttribute];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The entry field naming the owner: the quota's owner attribute, or the written field holding the owner's value. */
function ownerField(key: DesiredKey, pool: Pool): string | undefined {
  if (pool.quota.ownerAttribute !== undefined) return pool.quota.ownerAttribute;
  return Object.keys(key.attributes).find((field) => key.attributes[field] === pool.owner && key.locateField?.(field) !== undefined);
}

function at(key: DesiredKey, index: number, field: string | undefined, message: string): Diagnostic {
  const written = field === undefined ? undefined : key.locateField?.(field);
  const range = written ?? key.source;
  const path = field === undefined || written === undefined ? `keys[${index}]` : `keys[${index}].${field}`;
  return { severity: 'error', code: CONFIG_CODES.quotaExceeded, message, path, ...(range === undefined ? {} : { range }) };
}
