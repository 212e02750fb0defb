/**
 * Runs each provider's offline checks (`ProviderModule.validate`) on the resolved config:
 * checks that need the provider's own knowledge (setting combinations, a cluster's unique
 * aliases, the kinds' per-user quotas), without network or SDK. Diagnostics get the config
 * positions the checks name.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { DesiredKey, KeyplanConfig } from '../model/desired.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { quotaDiagnostics } from './check-quota.js';
import { formatPath, type Path } from './paths.js';
import type { SourceDoc } from './yaml-source.js';

// A settings diagnostic names its place as `providers.<block>.<setting>`; block names have no dots.
const BLOCK_SETTING = /^providers\.([^.]+)\.([^.]+)$/;

/** Every provider block's offline diagnostics, with positions filled in. */
export function providerDiagnostics(config: KeyplanConfig, providers: ProviderRegistry, source: SourceDoc): Diagnostic[] {
  const indexOf = new Map(config.keys.map((k, i) => [k, i]));
  const at = (key: DesiredKey, field?: string) => {
    const path: Path = ['keys', indexOf.get(key) ?? -1, ...(field === undefined ? [] : [field])];
    return { path: formatPath(path), range: source.locate(path) };
  };
  const out: Diagnostic[] = [];
  for (const block of Object.values(config.providers).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const module = providers.provider(block.type);
    if (module?.validate === undefined) continue;
    const keys = config.keys.filter((k) => k.provider === block.name);
    for (const d of module.validate({ block, keys, at })) out.push(withRange(d, source));
  }
  out.push(...quotaDiagnostics(config, providers));
  return out;
}

function withRange(d: Diagnostic, source: SourceDoc): Diagnostic {
  if (d.range !== undefined || d.path === undefined) return d;
  const setting = BLOCK_SETTING.exec(d.path);
  return setting === null ? d : { ...d, range: source.locate(['providers', setting[1] as string, setting[2] as string]) };
}
