/**
 * Routing of the paths the emulator serves, all under `/v1/`: `sys/health`, and per KV v2
 * mount `config`, `data/{path}`, `metadata/{path}` (GET `?list=true` on a folder: what
 * Vault's own client sends for LIST; Node's HTTP parser refuses the LIST method itself), `delete/{path}`, `undelete/{path}` and `destroy/{path}`. The mount is the
 * longest configured mount the path starts with, as Vault's router picks it.
 */
import { badRequest, VaultHttpError } from './errors.js';
import type { ResolvedVaultMount } from './options.js';

/** The KV v2 operations by the path segment after the mount. */
export type KvSection = 'config' | 'data' | 'metadata' | 'delete' | 'undelete' | 'destroy';

/** A matched request. */
export type Route =
  | { readonly op: 'health' }
  | {
      readonly op: 'kv';
      readonly mount: ResolvedVaultMount;
      readonly section: KvSection;
      /** Path inside the mount, no slashes at either end ('' for `config`). */
      readonly path: string;
      /** A LIST of a folder (`metadata/dir/`). */
      readonly list: boolean;
      /** The API path after `/v1/`, without a trailing slash: what policies are matched against. */
      readonly apiPath: string;
      readonly query: URLSearchParams;
    };

const SECTIONS: ReadonlySet<string> = new Set(['config', 'data', 'metadata', 'delete', 'undelete', 'destroy']);

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest('the request path is not valid percent-encoding');
  }
}

/** Vault's answer for a path no mount serves. */
function noHandler(path: string): VaultHttpError {
  return new VaultHttpError(404, [`no handler for route "${path}". route entry not found.`], 'no such mount');
}

/** Matches method and raw URL to a route, or throws the error Vault answers. */
export function matchRoute(method: string, rawUrl: string, mounts: readonly ResolvedVaultMount[]): Route {
  const url = new URL(rawUrl, 'http://emulator.invalid');
  if (!url.pathname.startsWith('/v1/')) throw new VaultHttpError(404, [], 'not an API path');
  const full = decode(url.pathname.slice('/v1/'.length));
  if (full === 'sys/health') return { op: 'health' };
  const mount = [...mounts].sort((a, b) => b.path.length - a.path.length).find((m) => full.startsWith(`${m.path}/`));
  if (mount === undefined) throw noHandler(full);
  const rest = full.slice(mount.path.length + 1);
  const slash = rest.indexOf('/');
  const section = slash === -1 ? rest : rest.slice(0, slash);
  if (!SECTIONS.has(section)) throw noHandler(full);
  const inner = slash === -1 ? '' : rest.slice(slash + 1);
  const list = method === 'GET' && url.searchParams.get('list') === 'true';
  const path = inner.replace(/^\/+|\/+$/g, '');
  if (section !== 'config' && path === '' && !(list && section === 'metadata')) throw badRequest('missing path');
  if (section === 'config' && path !== '') throw noHandler(full);
  const apiPath = full.replace(/\/+$/, '');
  return { op: 'kv', mount, section: section as KvSection, path, list, apiPath, query: url.searchParams };
}
