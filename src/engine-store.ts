/** Which state store a config names: the local file, or a PostgreSQL database (loaded only then). */
import path from 'node:path';
import type { KeyplanConfig } from './model/desired.js';
import { defaultRegistry, type ProviderRegistry } from './providers/registry.js';
import { LocalStateStore } from './state/local-store.js';
import type { StateStore } from './state/store.js';

/**
 * The state store a config names. The postgres URL is read from `env[state.url_env]` only;
 * a missing or empty variable throws a KeyplanError naming it. Nothing connects yet.
 */
export async function storeFor(
  config: KeyplanConfig,
  providers: ProviderRegistry = defaultRegistry,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<StateStore> {
  const rules = { knownKinds: new Set(Object.keys(providers.kinds)) };
  if (config.state.backend === 'local') return new LocalStateStore(path.resolve(config.baseDir, config.state.path), rules);
  // pg is loaded only for a postgres state: a local state's runs do not pay its start-up.
  const [{ targetFromEnv }, { PostgresStateStore }] = await Promise.all([import('./state/postgres/connection.js'), import('./state/postgres/store.js')]);
  const { urlEnv, name, caFile } = config.state;
  const target = targetFromEnv(urlEnv, env, caFile === undefined ? undefined : path.resolve(config.baseDir, caFile));
  return new PostgresStateStore({ name, target, rules });
}
