/**
 * `keyplan state show NAME`'s provider half: for a kind with `describeKey` (module.ts), the
 * adapter's `describe` reads what the state does not hold (a public key, the tenancy) and
 * the kind renders it, e.g. as the config snippet a consumer needs. Kinds without it
 * need no credentials and make no call.
 */
import type { KeyCommandDeps } from './engine-connections.js';
import type { KeyplanState, ManagedKey } from './model/state.js';
import { pathOf } from './outputs/file-based.js';
import { resolveOutputPath } from './outputs/index.js';

/** The kind's extra lines for `record`, or none when its kind has no `describeKey`. */
export async function describeRecordedKey(deps: KeyCommandDeps, state: KeyplanState, record: ManagedKey): Promise<readonly string[]> {
  const kind = deps.providers.kind(record.kind);
  if (kind?.describeKey === undefined) return [];
  await deps.connections.configure(state, [record.provider]);
  const adapter = deps.connections.adapters.get(record.provider);
  const { current } = record;
  const described =
    adapter?.describe === undefined
      ? { values: {} }
      : await adapter.describe({
          kind: record.kind,
          owner: record.owner,
          id: current.id,
          attributes: current.attributes,
          ...(deps.signal === undefined ? {} : { signal: deps.signal }),
        });
  const file = deps.config.keys.find((k) => k.name === record.name)?.outputs.find((o) => o.type === 'file');
  const keyFile = file === undefined ? undefined : resolveOutputPath(deps.config.baseDir, pathOf(file));
  return kind.describeKey({ values: described.values, attributes: current.attributes, ...(keyFile === undefined ? {} : { keyFile }) });
}
