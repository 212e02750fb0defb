/**
 * Turns a keys.yaml that passed the schema and every semantic check into the model's
 * KeyplanConfig: defaults filled in, rotation durations in milliseconds, names in camelCase.
 */
import path from 'node:path';
import { InternalError } from '../errors/errors.js';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../model/verify.js';
import type { DesiredKey, KeyplanConfig, ProviderBlock, RotationPolicy, SecretSource, StateBackendConfig } from '../model/desired.js';
import type { SourceRange } from '../model/source.js';
import { parseDuration } from '../model/duration.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { KeyEntry, KeysFile, PassphraseEntry, RotationEntry, StateEntry } from './types.js';
import type { SourceDoc } from './yaml-source.js';

/** Where the resolved config comes from. */
export interface ResolveInput {
  readonly file: KeysFile;
  readonly source: SourceDoc;
  readonly baseDir: string;
  readonly hash: string;
  readonly providers: ProviderRegistry;
}

/**
 * The postgres state name when `state.name` is not given: the config file's name without
 * its extension (`keys` for keys.yaml), so two configs in one repository get two states.
 * Characters the schema's `name` pattern does not allow become `-`.
 */
export function defaultStateName(configFile: string): string {
  const base = path.basename(configFile, path.extname(configFile));
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned === '' ? 'keys' : cleaned).slice(0, 63);
}

/** State backend when the config has no `state:` block. */
export const DEFAULT_STATE_PATH = '.keyplan/state.json';

/** Builds the KeyplanConfig. Only call with a file that produced no diagnostics. */
export function resolveConfig({ file, source, baseDir, hash, providers: registry }: ResolveInput): KeyplanConfig {
  const providers: Record<string, ProviderBlock> = {};
  for (const [name, block] of Object.entries(file.providers ?? {})) {
    const { type, ...written } = block;
    const module = registry.provider(type);
    // A missing credential variable found when the adapter is configured is named at its line.
    const envFields = Object.keys(module?.envSettings ?? {}).filter((field) => field in written);
    const settingSources = Object.fromEntries(envFields.map((field) => [field, source.locate(['providers', name, field])]));
    providers[name] = { name, type, settings: { ...module?.blockDefaults, ...written }, ...(envFields.length > 0 ? { settingSources } : {}) };
  }
  const defaults = file.defaults?.rotation ?? {};
  const keys = (file.keys ?? []).map((entry, index) =>
    resolveKey(registry, entry, defaults, source.locate(['keys', index]), (field: string) => locateField(source, entry, index, field)),
  );
  return { file: source.file, baseDir, hash, state: resolveState(file.state, source.file), providers, keys };
}

/**
 * Where keys[index].<field> is written: a field of the entry, or a variable setting inside it
 * (apply names the line of a variable it is missing: passphrase-check.ts, output-env-check.ts).
 */
function locateField(source: SourceDoc, entry: KeyEntry, index: number, field: string): SourceRange | undefined {
  if (Object.hasOwn(entry, field)) return source.locate(['keys', index, field]);
  const path = envFieldPaths(entry).find((p) => p.join('.') === field);
  return path === undefined ? undefined : source.locate(['keys', index, ...path]);
}

/** `passphrase.env` and each output's `*_env` setting, as paths inside the key entry. */
function envFieldPaths(entry: KeyEntry): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const passphrase = (entry as { passphrase?: unknown }).passphrase;
  if (typeof passphrase === 'object' && passphrase !== null && 'env' in passphrase) paths.push(['passphrase', 'env']);
  const outputs = (entry as { outputs?: unknown }).outputs;
  (Array.isArray(outputs) ? outputs : []).forEach((spec: unknown, j) => {
    if (typeof spec !== 'object' || spec === null) return;
    for (const field of Object.keys(spec)) if (field.endsWith('_env')) paths.push(['outputs', j, field]);
  });
  return paths;
}

/**
 * One declared key, built as one object literal that does not start with a spread: V8 gives
 * an object made by spreading another one first and then adding fields (`{ ...key,
 * locateField }`) a hidden class of its own, and every later read of a field of 2,000 such
 * keys missed its inline caches.
 */
function resolveKey(
  registry: ProviderRegistry,
  entry: KeyEntry,
  defaults: RotationEntry,
  at: DesiredKey['source'],
  locate: (field: string) => SourceRange | undefined,
): DesiredKey & { locateField(field: string): SourceRange | undefined } {
  const kind = registry.kind(entry.kind);
  if (kind === undefined) throw new InternalError(`Expected kind ${entry.kind} to be registered; the schema allowed it`);
  const { owner, attributes } = kind.map(entry);
  return {
    name: entry.name,
    kind: entry.kind,
    provider: entry.provider,
    owner,
    attributes,
    passphrase: resolvePassphrase(entry.passphrase),
    outputs: entry.outputs ?? [],
    dependsOn: entry.depends_on ?? [],
    rotation: resolveRotation(Object.assign({}, defaults, entry.rotation)),
    ...(at !== undefined ? { source: at } : {}),
    locateField: locate,
  };
}

// Kinds that take no passphrase (their provider holds the secret) resolve to none.
function resolvePassphrase(entry: PassphraseEntry | undefined): SecretSource {
  return entry === undefined || entry === 'none' ? { none: true } : { env: entry.env };
}

/** Fields are set one by one, in this order, rather than spread first (see resolveKey). */
function resolveRotation(entry: RotationEntry): RotationPolicy {
  const policy: { -readonly [F in keyof RotationPolicy]: RotationPolicy[F] } = {} as RotationPolicy;
  const maxAgeMs = duration(entry.max_age);
  if (maxAgeMs !== undefined) policy.maxAgeMs = maxAgeMs;
  policy.overlapMs = duration(entry.overlap) ?? 0;
  const beforeExpiryMs = duration(entry.before_expiry);
  if (beforeExpiryMs !== undefined) policy.beforeExpiryMs = beforeExpiryMs;
  policy.requireOverlap = entry.require_overlap ?? false;
  const deactivateForMs = duration(entry.deactivate_for);
  if (deactivateForMs !== undefined) policy.deactivateForMs = deactivateForMs;
  policy.verify = entry.verify ?? true;
  policy.verifyTimeoutMs = duration(entry.verify_timeout) ?? DEFAULT_VERIFY_TIMEOUT_MS;
  return policy;
}

function duration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new InternalError(`Expected duration "${text}" to have been rejected by the checks`);
  return ms;
}

function resolveState(entry: StateEntry | undefined, configFile: string): StateBackendConfig {
  if (entry === undefined) return { backend: 'local', path: DEFAULT_STATE_PATH };
  if (entry.backend === 'postgres') {
    const name = entry.name ?? defaultStateName(configFile);
    return { backend: 'postgres', urlEnv: entry.url_env, name, ...(entry.ca_file !== undefined ? { caFile: entry.ca_file } : {}) };
  }
  return { backend: 'local', path: entry.path ?? DEFAULT_STATE_PATH };
}
