/**
 * src/outputs: the secret sinks, the only places key material is written to. Each output
 * file is replaced atomically with mode 0600; other outputs deliver to a command or a
 * secret store. Errors name the output and the reason and never the secret.
 *
 * A key's outputs are written one after another, by their type's `order` (order.ts),
 * each group in declaration order. When one fails, the ones already written are put back
 * as they were (each write returns its undo), last written first, and the error
 * propagates: the caller deletes the new key again (apply/step-create.ts).
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { OutputSpec } from '../model/desired.js';
import type { SandboxEndpoint, SecretMaterial } from '../providers/contract.js';
import { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from './output-error.js';
import { InternalError } from '../errors/errors.js';
import { registerSecretValue } from '../log/logger.js';
import { pathOf } from './file-based.js';
import type { OutputModule, OutputUndo, OutputWriteContext } from '../providers/module.js';

export { OUTPUT_ERROR_CODES, OutputError, type OutputErrorOptions } from './output-error.js';
export { OUTPUT_ORDER } from './order.js';

/** Where the outputs of one key go. */
export interface OutputContext {
  /** Folder relative output paths resolve against (the config file's folder). */
  readonly baseDir: string;
  /** The key's name: ownership marker of shared files (profiles, env files). */
  readonly keyName: string;
  /** The key's kind, owner and the provider's id of the new key (an exec output's document names them). */
  readonly kind: string;
  readonly owner: string;
  readonly liveId: string;
  /** The output types by `type` (the registry's `outputs`). */
  readonly types: ReadonlyMap<string, OutputModule>;
  /** The environment sinks read their token variables from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Starts (once) and returns the emulator of an output type, for outputs pointed at the sandbox. */
  readonly sandboxFor?: (outputType: string) => Promise<SandboxEndpoint>;
}

/**
 * Writes every output of one key by their `order` (order.ts); returns the written outputs' labels (a
 * path as written, or OutputModule.describe), in the order written. Stops at the first
 * failure and runs the undos of the outputs written before it, last first. Throws
 * OutputError (a KeyplanError, code KP_OUTPUT_E...) naming the output and reason, never
 * the secret; when an undo fails too, or an output written before has no undo, the
 * message says so.
 */
export async function writeOutputs(specs: readonly OutputSpec[], material: SecretMaterial, ctx: OutputContext): Promise<string[]> {
  return [...(await deliverOutputs(specs, material, ctx)).written];
}

/** What `deliverOutputs` wrote, and how to put it back. */
export interface Delivered {
  /** The written outputs' labels, in the order written. */
  readonly written: readonly string[];
  /**
   * Puts back what the outputs held before, last written first (a new key that never
   * authenticated is deleted again); returns what could not be put back, as sentences.
   */
  readonly putBack: () => Promise<string[]>;
}

/** As {@link writeOutputs}, also returning the undo of the whole delivery. */
export async function deliverOutputs(specs: readonly OutputSpec[], material: SecretMaterial, ctx: OutputContext): Promise<Delivered> {
  const moduleOf = (spec: OutputSpec): OutputModule => {
    const found = ctx.types.get(spec.type);
    if (found === undefined) throw new InternalError(`Expected output type "${spec.type}" to have been rejected by the config schema`);
    return found;
  };
  // Array.prototype.sort is stable, so outputs of one order keep their declaration order.
  const ordered = [...specs].sort((a, b) => moduleOf(a).order - moduleOf(b).order);
  const keyFile = specs.find((s) => s.type === 'file');
  const keyFilePath = keyFile === undefined ? undefined : resolveOutputPath(ctx.baseDir, pathOf(keyFile));
  registerTokens(ordered, moduleOf, ctx.env);
  const written: string[] = [];
  const undos: { readonly label: string; readonly undo: OutputUndo }[] = [];
  const kept: string[] = [];
  for (const spec of ordered) {
    const output = moduleOf(spec);
    const label = output.describe(spec);
    try {
      const target = await writeContext(output, spec, ctx, keyFilePath);
      const undo = await writeOne(output, spec, material, target);
      if (undo !== undefined) undos.push({ label: `${spec.type} output ${label}`, undo });
      else kept.push(`${spec.type} output ${label}`);
    } catch (error) {
      // The key is deleted after this failure, so the outputs written so far go back to what they held.
      const left = await runUndos(undos);
      if (left.length === 0 && kept.length === 0) throw error;
      const reason = error instanceof OutputError ? error.reason : error instanceof Error ? error.message : String(error);
      const notes = [
        ...(left.length > 0 ? [`and putting back what was written before failed: ${left.join('; ')}`] : []),
        // Outputs without an undo (exec without `undo`, a replaced GitHub secret) say so rather than stay silent.
        ...(kept.length > 0 ? [`${kept.join(', ')} cannot be put back and still hold${kept.length === 1 ? 's' : ''} the deleted key's secret`] : []),
      ];
      throw new OutputError(spec, `${reason}; ${notes.join('; ')}`, {
        code: error instanceof OutputError ? (error.code as OutputErrorOptions['code']) : OUTPUT_ERROR_CODES.io,
        source: error instanceof OutputError ? error.source : 'internal',
        label,
        cause: error,
      });
    }
    written.push(label);
  }
  return {
    written,
    putBack: async () => [...(await runUndos(undos)), ...kept.map((k) => `${k} cannot be put back and still holds the deleted key's secret`)],
  };
}

/**
 * The store tokens the outputs read (OutputModule.envSettings) join the values every log
 * line and every scrubbed command output is cleaned of: an `exec` command inherits the
 * environment and might print one, and no sink's token may reach a log.
 */
function registerTokens(specs: readonly OutputSpec[], moduleOf: (spec: OutputSpec) => OutputModule, env: OutputContext['env']): void {
  for (const spec of specs) {
    for (const { field } of moduleOf(spec).envSettings?.(spec) ?? []) {
      const name = spec[field];
      const value = typeof name === 'string' ? env[name] : undefined;
      if (value !== undefined && value !== '') registerSecretValue(value);
    }
  }
}

/** Runs the undos last first, each even when an earlier one failed; returns the failures' messages. */
async function runUndos(undos: readonly { readonly label: string; readonly undo: OutputUndo }[]): Promise<string[]> {
  const left: string[] = [];
  for (const { label, undo } of [...undos].reverse()) {
    try {
      await undo();
    } catch (error) {
      left.push(`${label}: ${error instanceof OutputError ? error.reason : error instanceof Error ? error.message : String(error)}`);
    }
  }
  return left;
}

/** What one output's write (and read-back) is given: its resolved path, the key's facts, and its sandbox when it uses one. */
export async function writeContext(output: OutputModule, spec: OutputSpec, ctx: OutputContext, keyFile: string | undefined): Promise<OutputWriteContext> {
  const path = spec['path'];
  let sandbox: SandboxEndpoint | undefined;
  if (output.usesSandbox?.(spec) === true) {
    if (ctx.sandboxFor === undefined) throw new InternalError(`Expected a sandbox for the ${spec.type} output of key ${ctx.keyName}`);
    sandbox = await ctx.sandboxFor(spec.type);
  }
  return {
    ...(output.writesFileAtPath === true && typeof path === 'string' ? { absPath: resolveOutputPath(ctx.baseDir, path) } : {}),
    baseDir: ctx.baseDir,
    keyName: ctx.keyName,
    kind: ctx.kind,
    owner: ctx.owner,
    liveId: ctx.liveId,
    env: ctx.env,
    ...(keyFile !== undefined ? { keyFile } : {}),
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
    ...(sandbox !== undefined ? { sandbox } : {}),
  };
}

async function writeOne(output: OutputModule, spec: OutputSpec, material: SecretMaterial, target: OutputWriteContext): Promise<OutputUndo | undefined> {
  // A type that points at another output of the key (a profile's key_file) cannot be written without it.
  if (output.needsFileOutput !== undefined && target.keyFile === undefined) {
    throw new OutputError(spec, `key ${target.keyName} needs a file output ${output.needsFileOutput}`, {
      code: OUTPUT_ERROR_CODES.config,
      source: 'user',
      label: output.describe(spec),
    });
  }
  return output.write(spec, material, target);
}

/** Resolves an output path as written: `~/` is the home folder, relative paths start at `baseDir`. */
export function resolveOutputPath(baseDir: string, path: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return resolve(baseDir, path);
}
