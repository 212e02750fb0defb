/**
 * `keyplan import NAME LIVE_ID`'s reading half: reads the scope of declared key `name` and
 * adopts live key `id` as its current key (apply/adopt.ts holds the rules). The caller holds
 * the state lock and writes the state.
 */
import { adoptLiveKey, IMPORT_ERROR_CODE, type Adoption } from './apply/adopt.js';
import type { KeyCommandDeps } from './engine-connections.js';
import { KeyplanError } from './errors/errors.js';
import type { KeyplanState } from './model/state.js';

/** The adoption of live key `id` by declared key `name`; throws a KeyplanError when `name` is not declared or `id` cannot be adopted. */
export async function importDeclaredKey(deps: KeyCommandDeps, state: KeyplanState, name: string, id: string, now: number): Promise<Adoption> {
  const key = deps.config.keys.find((k) => k.name === name);
  if (!key)
    throw new KeyplanError(`no key named "${name}" is declared in ${deps.config.file}; declare it first, then import`, {
      code: IMPORT_ERROR_CODE,
      source: 'user',
    });
  const adapter = await deps.connections.adapterOf(state, key.provider);
  const { keys } = await adapter.list({ kind: key.kind, owner: key.owner, known: [], ...(deps.signal ? { signal: deps.signal } : {}) });
  return adoptLiveKey(state, key, id, keys, deps.providers.kinds[key.kind], now);
}
