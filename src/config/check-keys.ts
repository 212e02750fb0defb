/**
 * Semantic checks on each key's identity: unique names, a defined provider block, a known
 * kind whose provider type matches the block's type.
 */
import { CONFIG_CODES } from './codes.js';
import type { CheckContext } from './check-context.js';
import { asRecord } from './raw.js';
import { suggest } from './suggest.js';

/** Duplicate names: each later duplicate is reported, pointing back at the first. */
export function checkUniqueNames(ctx: CheckContext): void {
  for (const key of ctx.keys) {
    if (key.name === undefined) continue;
    const first = ctx.firstByName.get(key.name);
    if (first === undefined || first === key) continue;
    const line = ctx.locate([...first.path, 'name']).line;
    ctx.report([...key.path, 'name'], CONFIG_CODES.duplicateName, `duplicate key name "${key.name}" (first defined at line ${line})`);
  }
}

/** `provider` names a defined block, `kind` is known, and the block's type suits the kind. */
export function checkProvidersAndKinds(ctx: CheckContext): void {
  const providers = asRecord(ctx.root['providers']) ?? {};
  // Every block counts as defined, even one with schema errors, so a typo inside a block
  // does not also make each key that uses it "unknown".
  const defined = Object.keys(providers);
  const known = Object.keys(ctx.providers.kinds);

  for (const key of ctx.keys) {
    const providerPath = [...key.path, 'provider'];
    const providerName = ctx.stringAt(providerPath);
    if (providerName !== undefined && !(providerName in providers)) {
      const close = suggest(providerName, defined);
      const hint = close !== undefined ? `did you mean "${close}"?` : defined.length > 0 ? `defined: ${defined.join(', ')}` : 'no providers are defined';
      ctx.report(providerPath, CONFIG_CODES.unknownProvider, `unknown provider "${providerName}" (${hint})`);
    }

    const kindPath = [...key.path, 'kind'];
    const kind = ctx.stringAt(kindPath);
    if (kind === undefined) continue;
    const spec = ctx.providers.kind(kind)?.spec;
    if (spec === undefined) {
      ctx.report(kindPath, CONFIG_CODES.unknownKind, `unknown kind "${kind}" (known: ${known.join(', ')})`);
      continue;
    }
    if (providerName === undefined || !(providerName in providers)) continue;
    const type = ctx.stringAt(['providers', providerName, 'type']);
    if (type !== undefined && type !== spec.providerType) {
      ctx.report(
        providerPath,
        CONFIG_CODES.providerTypeMismatch,
        `kind ${kind} needs a provider of type ${spec.providerType}, but provider "${providerName}" is of type ${type}`,
      );
    }
  }
}
