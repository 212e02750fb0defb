/**
 * `keyplan import NAME LIVE_ID`: adopting a live key into state as the current key of a
 * declared name, as a pure function the engine calls once it has read the key's scope.
 * Nothing secret is involved: no provider hands a key's secret out after creation, so an
 * adopted key's secret is only where it was delivered when the key was made.
 */
import { KeyplanError } from '../errors/errors.js';
import type { AttributeValue, Attributes, DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { KeyplanState } from '../model/state.js';
import type { KindSpec } from '../providers/contract.js';
import { setCurrent } from '../state/mutations.js';
import { IMPORT_CODES } from './codes.js';

/** What adopting a key produced. */
export interface Adoption {
  readonly state: KeyplanState;
  readonly live: LiveKey;
  /** Sentences worth telling the user (a marker naming another key, an inactive key). */
  readonly notes: readonly string[];
}

/** The adoption's refusals (user errors) share this code. */
export const IMPORT_ERROR_CODE = IMPORT_CODES.refused;

/**
 * Records live key `id` (found among `scopeKeys`, the keys of `key`'s scope) as the current
 * key of `key`. Refuses when the name is already managed, the id is another record's key,
 * or the id is not in the scope.
 */
export function adoptLiveKey(
  state: KeyplanState,
  key: DesiredKey,
  id: string,
  scopeKeys: readonly LiveKey[],
  spec: KindSpec | undefined,
  now: number,
): Adoption {
  const fail = (message: string): never => {
    throw new KeyplanError(message, { code: IMPORT_ERROR_CODE, source: 'user' });
  };
  const existing = state.keys[key.name];
  if (existing !== undefined) {
    if (existing.current.id === id) fail(`${key.name} already manages ${id}; nothing to import`);
    fail(`${key.name} already manages ${existing.current.id}; run "keyplan state rm ${key.name}" first to adopt ${id} in its place`);
  }
  for (const record of Object.values(state.keys)) {
    const ids = [record.current.id, ...record.retiring.map((r) => r.id)];
    if (record.provider === key.provider && record.kind === key.kind && ids.includes(id)) fail(`${id} is already managed by ${record.name}`);
  }
  const live = scopeKeys.find((k) => k.id === id && k.status !== 'deleting');
  if (live === undefined) {
    const found = scopeKeys.map((k) => k.id).sort();
    const listed = found.length === 0 ? 'it has none' : `found: ${found.slice(0, 10).join(', ')}${found.length > 10 ? ', …' : ''}`;
    return fail(`no ${key.kind} ${id} among the keys of ${key.owner} (provider ${key.provider}); ${listed}`);
  }
  const notes: string[] = [];
  if (live.marker !== undefined && live.marker !== key.name) notes.push(`its marker names keyplan key "${live.marker}", not ${key.name}`);
  if (live.status !== 'active') notes.push(`it is ${live.status}`);
  const attributes: Record<string, AttributeValue> = { ...key.attributes };
  for (const name of spec?.computed ?? []) {
    const value = live.attributes[name];
    if (value !== undefined) attributes[name] = value;
  }
  // Age-based rotation counts from the key's real creation when the provider reports it.
  const createdAt = live.createdAt ?? new Date(now).toISOString();
  const instance = { id, createdAt, attributes: attributes as Attributes };
  const next = setCurrent(state, { name: key.name, kind: key.kind, provider: key.provider, owner: key.owner }, instance);
  return { state: next, live, notes };
}
