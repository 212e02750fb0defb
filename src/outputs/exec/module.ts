/**
 * The `exec` output: hands the new secret to a command the user names (a secret store's
 * CLI, a small script), as one JSON document on its stdin (document.ts). No shell is
 * involved: `command` is an argv array, run in the folder of keys.yaml. Exit 0 means
 * delivered; a non-zero exit, a crash, a timeout or a command that cannot start fails the
 * output. `undo`, when given, runs with the same document when a later output of the key
 * fails; without it a rollback cannot take back what the command stored.
 *
 * The command's stdout and stderr never reach a log or a message raw: every secret value
 * is scrubbed from them first (../scrub.ts).
 */
import { logger } from '../../log/logger.js';
import type { OutputSpec } from '../../model/desired.js';
import { formatDuration, parseDuration } from '../../model/duration.js';
import type { SecretMaterial } from '../../providers/contract.js';
import type { OutputModule, OutputUndo, OutputWriteContext } from '../../providers/module.js';
import { OUTPUT_ERROR_CODES, OutputError } from '../output-error.js';
import { OUTPUT_ORDER } from '../order.js';
import { scrubSecrets, secretForms } from '../scrub.js';
import { execDocument } from './document.js';
import type { CommandOutcome } from './run-command.js';
import { execOutputSchema } from './schema.js';

/** The default of `timeout`. */
export const EXEC_DEFAULT_TIMEOUT = '30s';

const DEFAULT_TIMEOUT_MS = parseDuration(EXEC_DEFAULT_TIMEOUT) as number;

// How much of a failed command's output a message shows (its end, where errors are).
const SHOWN_OUTPUT = 600;

interface ExecSettings {
  readonly command: readonly string[];
  readonly undo?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** `exec`: runs a command with the secret document on its stdin. */
export const execOutput: OutputModule = {
  type: 'exec',
  summary: '`exec`: runs a command (no shell) with the key and its secret as one JSON document on stdin; exit 0 means delivered, `undo` runs on rollback.',
  schema: execOutputSchema,
  order: OUTPUT_ORDER.exec,
  describe: (spec) => settingsOf(spec).command.join(' '),
  write: writeExecOutput,
};

async function writeExecOutput(spec: OutputSpec, material: SecretMaterial, ctx: OutputWriteContext): Promise<OutputUndo | undefined> {
  const settings = settingsOf(spec);
  const document = execDocument(material, ctx);
  const forms = secretForms(material);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.env)) if (value !== undefined) env[name] = value;
  Object.assign(env, settings.env);
  const run = async (argv: readonly string[], role: 'command' | 'undo'): Promise<void> => {
    // Loaded when a command runs: node:child_process (and the dgram it loads) cost every plan ~10 ms otherwise.
    const { runCommand } = await import('./run-command.js');
    const outcome = await runCommand({
      argv,
      cwd: ctx.baseDir,
      env,
      input: document,
      timeoutMs: settings.timeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const shown = outputOf(outcome, forms);
    logger().debug(`exec output ${role} ran`, { key: ctx.keyName, command: argv.join(' '), outcome: outcome.status, ...shown });
    const failure = failureOf(outcome, role, settings.timeoutMs);
    if (failure === undefined) return;
    const tail = lastWords(shown.stderr !== '' ? shown.stderr : shown.stdout);
    throw new OutputError(spec, tail === '' ? failure : `${failure}; it printed: ${tail}`, {
      code: OUTPUT_ERROR_CODES.command,
      source: 'user',
      label: execOutput.describe(spec),
    });
  };
  await run(settings.command, 'command');
  const undo = settings.undo;
  return undo === undefined ? undefined : () => run(undo, 'undo');
}

function settingsOf(spec: OutputSpec): ExecSettings {
  const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);
  const env = typeof spec['env'] === 'object' && spec['env'] !== null ? (spec['env'] as Record<string, unknown>) : {};
  const timeout = typeof spec['timeout'] === 'string' ? spec['timeout'] : EXEC_DEFAULT_TIMEOUT;
  const undo = strings(spec['undo']);
  return {
    command: strings(spec['command']) ?? [],
    ...(undo !== undefined ? { undo } : {}),
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
    // The schema checks the pattern; a zero duration would kill every command at once.
    timeoutMs: Math.max(parseDuration(timeout) ?? DEFAULT_TIMEOUT_MS, 1),
  };
}

function outputOf(outcome: CommandOutcome, forms: readonly string[]): { stdout: string; stderr: string } {
  if (outcome.status === 'spawn-failed') return { stdout: '', stderr: '' };
  return { stdout: scrubSecrets(outcome.stdout, forms), stderr: scrubSecrets(outcome.stderr, forms) };
}

function failureOf(outcome: CommandOutcome, role: 'command' | 'undo', timeoutMs: number): string | undefined {
  const what = role === 'command' ? 'the command' : 'the undo command';
  switch (outcome.status) {
    case 'exited':
      return outcome.code === 0 ? undefined : `${what} exited with code ${outcome.code}`;
    case 'signalled':
      return `${what} was killed by ${outcome.signal}`;
    case 'timed-out':
      return `${what} did not finish within ${formatDuration(timeoutMs)} and was stopped (raise timeout)`;
    case 'interrupted':
      return `${what} was stopped by the interrupt`;
    case 'spawn-failed':
      return `cannot run ${what}: ${outcome.reason}`;
  }
}

/** The end of a (scrubbed) output on one line. */
function lastWords(text: string): string {
  const line = text.trim().replace(/\s*\n\s*/g, ' / ');
  return line.length <= SHOWN_OUTPUT ? line : `...${line.slice(-SHOWN_OUTPUT)}`;
}
