/**
 * What every semantic check gets: the lenient view of the config, the source positions,
 * and a `report` that drops problems about values the schema already rejected.
 */
import type { Diagnostic } from '../errors/diagnostic.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { SourceRange } from '../model/source.js';
import { formatPath, isWithin, type Path } from './paths.js';
import { asArray, asRecord, asString } from './raw.js';
import type { Anchor, SourceDoc } from './yaml-source.js';

/** One `keys[i]` entry as far as it could be read. */
export interface KeyView {
  readonly index: number;
  /** Path of the entry, `['keys', index]`. */
  readonly path: Path;
  readonly record: Readonly<Record<string, unknown>>;
  /** The name, when it is a valid string (undefined when missing or rejected by the schema). */
  readonly name?: string;
}

/** Inputs and sink shared by the semantic checks. */
export interface CheckContext {
  readonly source: SourceDoc;
  readonly root: Readonly<Record<string, unknown>>;
  readonly keys: readonly KeyView[];
  /** Index of the first key with each name. */
  readonly firstByName: ReadonlyMap<string, KeyView>;
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly checkEnv: boolean;
  /** The providers, kinds and output types the config may use. */
  readonly providers: ProviderRegistry;
  /** The string at `path`, unless it is missing, not a string, or rejected by the schema. */
  stringAt(path: Path): string | undefined;
  /** Records a problem, unless the schema already reported one at or above `path`. */
  report(path: Path, code: string, message: string, anchor?: Anchor): void;
  /** Position of `path`, for messages that mention another place ("first defined at line 4"). */
  locate(path: Path): SourceRange;
}

/** Builds the context; `diagnostics` receives what the checks report. */
export function createCheckContext(input: {
  readonly source: SourceDoc;
  readonly rejected: readonly Path[];
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly checkEnv: boolean;
  readonly providers: ProviderRegistry;
  readonly diagnostics: Diagnostic[];
}): CheckContext {
  const { source, rejected, diagnostics } = input;
  const root = asRecord(source.value) ?? {};
  const isRejected = (path: Path): boolean => rejected.length > 0 && rejected.some((r) => isWithin(path, r));
  const keyItems = asArray(root['keys']) ?? [];
  const valueAt = (path: Path): unknown => {
    // Most look-ups are inside one key entry: start there rather than at the root.
    const inKey = path[0] === 'keys' && typeof path[1] === 'number';
    let value: unknown = inKey ? keyItems[path[1] as number] : root;
    for (let i = inKey ? 2 : 0; i < path.length; i++) {
      const seg = path[i] as string | number;
      value = typeof seg === 'number' ? asArray(value)?.[seg] : asRecord(value)?.[seg];
    }
    return value;
  };
  const stringAt = (path: Path): string | undefined => (isRejected(path) ? undefined : asString(valueAt(path)));

  const keys: KeyView[] = [];
  for (let index = 0; index < keyItems.length; index++) {
    const record = asRecord(keyItems[index]);
    if (record === undefined) continue;
    const path = ['keys', index];
    const name = stringAt([...path, 'name']);
    keys.push({ index, path, record, ...(name !== undefined ? { name } : {}) });
  }
  const firstByName = new Map<string, KeyView>();
  for (const key of keys) if (key.name !== undefined && !firstByName.has(key.name)) firstByName.set(key.name, key);

  return {
    source,
    baseDir: input.baseDir,
    env: input.env,
    checkEnv: input.checkEnv,
    providers: input.providers,
    root,
    keys,
    firstByName,
    stringAt,
    locate: (path) => source.locate(path),
    report(path, code, message, anchor = 'value') {
      if (isRejected(path)) return;
      diagnostics.push({ severity: 'error', code, message, path: formatPath(path), range: source.locate(path, anchor) });
    },
  };
}
