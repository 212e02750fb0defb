/**
 * Environment references exist: each `passphrase: { env: NAME }`, a postgres state
 * backend's `url_env`, the credential variables a provider block names
 * (ProviderModule.envSettings) and the token variables an output names
 * (OutputModule.envSettings, e.g. a Vault output's `token_env`). Messages name the
 * variable only; a value is never read into a message. Commands that do not need the
 * values (plan, `state list`) switch this off; `validate` switches it on.
 */
import type { OutputSpec } from '../model/desired.js';
import { CONFIG_CODES } from './codes.js';
import type { CheckContext } from './check-context.js';
import type { Path } from './paths.js';
import { asArray, asRecord } from './raw.js';

/** Reports referenced variables that are unset or empty; no-op when `checkEnv` is false. */
export function checkEnvReferences(ctx: CheckContext): void {
  if (!ctx.checkEnv) return;
  if (ctx.stringAt(['state', 'backend']) === 'postgres') checkVariable(ctx, ['state', 'url_env'], 'the state database URL');
  for (const key of ctx.keys) checkVariable(ctx, [...key.path, 'passphrase', 'env'], `the passphrase of key "${key.name ?? key.index}"`);
  for (const key of ctx.keys) checkOutputVariables(ctx, key.path, key.record, `key "${key.name ?? key.index}"`);
  for (const [name, block] of Object.entries(asRecord(ctx.root['providers']) ?? {})) {
    const settings = asRecord(block) ?? {};
    // A sandbox block gets its credentials from the sandbox; variables it names are unused.
    if (settings['endpoint'] === 'sandbox') continue;
    const type = typeof settings['type'] === 'string' ? settings['type'] : '';
    for (const [setting, holds] of Object.entries(ctx.providers.provider(type)?.envSettings ?? {})) {
      if (setting in settings) checkVariable(ctx, ['providers', name, setting], `${holds} of provider "${name}"`);
    }
  }
}

function checkOutputVariables(ctx: CheckContext, keyPath: Path, record: Readonly<Record<string, unknown>>, keyLabel: string): void {
  for (const [j, raw] of (asArray(record['outputs']) ?? []).entries()) {
    const spec = asRecord(raw);
    const type = spec?.['type'];
    if (spec === undefined || typeof type !== 'string') continue;
    const output = ctx.providers.outputs.get(type);
    // Settings of an output the schema rejected are reported there already.
    for (const { field, holds } of output?.envSettings?.(spec as OutputSpec) ?? []) {
      checkVariable(ctx, [...keyPath, 'outputs', j, field], `${holds} of the ${type} output of ${keyLabel}`);
    }
  }
}

function checkVariable(ctx: CheckContext, path: Path, purpose: string): void {
  const name = ctx.stringAt(path);
  if (name === undefined) return;
  const value = ctx.env[name];
  // An empty passphrase would silently produce a weakly protected key; treat it as missing.
  if (value === undefined) ctx.report(path, CONFIG_CODES.missingEnv, `environment variable ${name} is not set (it holds ${purpose})`);
  else if (value === '') ctx.report(path, CONFIG_CODES.missingEnv, `environment variable ${name} is empty (it holds ${purpose})`);
}
