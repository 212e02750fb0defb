/**
 * Entry point of the config layer: read keys.yaml, parse it with source positions,
 * validate it against schemas/keys.schema.json, run the semantic checks, and resolve it
 * into a KeyplanConfig. Every problem of the file is collected and thrown at once as one
 * ConfigError; nothing here touches the network or prints.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../errors/diagnostic.js';
import { ConfigError } from '../errors/errors.js';
import type { KeyplanConfig } from '../model/desired.js';
import { defaultRegistry, type ProviderRegistry } from '../providers/registry.js';
import { createCheckContext } from './check-context.js';
import { checkDependencies } from './check-deps.js';
import { checkEnvReferences } from './check-env.js';
import { checkProvidersAndKinds, checkUniqueNames } from './check-keys.js';
import { checkOutputs } from './check-outputs.js';
import { checkPaths } from './check-paths.js';
import { checkRotation } from './check-rotation.js';
import { CONFIG_CODES } from './codes.js';
import { resolveConfig } from './resolve.js';
import { schemaDiagnostics } from './schema-errors.js';
import { validateAgainstSchema } from './schema.js';
import { parseYamlSource } from './yaml-source.js';
import { providerDiagnostics } from './provider-checks.js';

/** How to load a config. */
export interface LoadOptions {
  /** Environment that `passphrase: { env }` and `url_env` references are checked against (only presence; values are never kept). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Check that referenced environment variables are set. Off for commands that need no secrets (`state list`, `show`). */
  readonly checkEnv: boolean;
  /** The providers whose blocks, kinds and outputs the config may use. @default the shipped providers */
  readonly providers?: ProviderRegistry;
  /** Receives the warnings of a config that loads (e.g. a provider's offline check finding an odd id). @default dropped */
  readonly onWarning?: (warning: Diagnostic) => void;
}

/** Options of `checkConfigText`. */
export type CheckOptions = LoadOptions;

/** Every problem found, sorted, and the config when there were no errors (warnings may remain). */
export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly config?: KeyplanConfig;
}

/**
 * Reads, validates and resolves a config file. `file` is kept as given in diagnostics
 * (`keys.yaml:12:5: ...`); relative paths in the config resolve against its folder.
 * @throws ConfigError with every diagnostic when the file is unreadable or invalid.
 */
export async function loadConfig(file: string, options: LoadOptions): Promise<KeyplanConfig> {
  const absolute = resolve(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(absolute);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `config file ${file} not found (looked for ${absolute})`
        : `cannot read config file ${file}: ${code === 'EISDIR' ? 'it is a directory' : cause instanceof Error ? cause.message : String(cause)}`;
    const diagnostic: Diagnostic = { severity: 'error', code: CONFIG_CODES.unreadable, message };
    throw Object.assign(new ConfigError(message, [diagnostic], CONFIG_CODES.unreadable), { cause });
  }
  const result = check(bytes.toString('utf8'), sha256(bytes), file, dirname(absolute), options);
  const config = configOrThrow(file, result);
  for (const warning of result.diagnostics) options.onWarning?.(warning);
  return config;
}

/**
 * Pure variant of `loadConfig` for text already in memory (tests, stdin).
 * @throws ConfigError with every diagnostic when the text is invalid.
 */
export function parseConfigText(text: string, file: string, baseDir: string, options: LoadOptions): KeyplanConfig {
  return configOrThrow(file, checkConfigText(text, file, baseDir, options));
}

/** Like `parseConfigText`, but returns the diagnostics instead of throwing (for `keyplan validate --json`). */
export function checkConfigText(text: string, file: string, baseDir: string, options: CheckOptions): CheckResult {
  return check(text, sha256(Buffer.from(text, 'utf8')), file, baseDir, options);
}

function check(text: string, hash: string, file: string, baseDir: string, options: CheckOptions): CheckResult {
  const source = parseYamlSource(text, file);
  // After a syntax error the document's structure is guesswork; schema errors would mislead.
  if (source.syntaxErrors.length > 0) return { diagnostics: sortDiagnostics(source.syntaxErrors) };

  const providers = options.providers ?? defaultRegistry;
  const schema = validateAgainstSchema(source.value, providers);
  const fromSchema = schemaDiagnostics(schema.errors, source.value, source);
  const diagnostics: Diagnostic[] = [...fromSchema.diagnostics];
  const ctx = createCheckContext({
    source,
    rejected: fromSchema.rejected,
    baseDir,
    env: options.env,
    checkEnv: options.checkEnv,
    providers,
    diagnostics,
  });
  checkUniqueNames(ctx);
  checkProvidersAndKinds(ctx);
  checkDependencies(ctx);
  checkRotation(ctx);
  checkOutputs(ctx);
  checkPaths(ctx);
  checkEnvReferences(ctx);

  if (diagnostics.length > 0 || schema.file === undefined) return { diagnostics: sortDiagnostics(diagnostics) };
  const config = resolveConfig({ file: schema.file, source, baseDir, hash, providers });
  // The providers' own offline checks see the resolved keys, so they run once the file is otherwise sound.
  const offline = providerDiagnostics(config, providers, source);
  if (offline.some((d) => d.severity === 'error')) return { diagnostics: sortDiagnostics(offline) };
  return { diagnostics: sortDiagnostics(offline), config };
}

function configOrThrow(file: string, result: CheckResult): KeyplanConfig {
  if (result.config !== undefined) return result.config;
  const count = result.diagnostics.length;
  throw new ConfigError(`${file} has ${count} ${count === 1 ? 'problem' : 'problems'}`, result.diagnostics, CONFIG_CODES.invalid);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
