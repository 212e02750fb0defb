/**
 * Debug logging for keyplan's own troubleshooting (never user output): silent unless
 * KEYPLAN_LOG=debug (or info/warn/error); to stderr, or to KEYPLAN_LOG_FILE.
 * Every line passes a redaction step: PEM private key blocks and every value registered
 * with `registerSecretValue` (passphrases read from env) are replaced before writing.
 */
import { createRequire } from 'node:module';
import type winston from 'winston';
import { REDACTED } from '../model/secret.js';

/** What keyplan calls on the logger; a winston logger is one. */
export type Logger = Pick<winston.Logger, 'debug' | 'warn' | 'log'>;

const require = createRequire(import.meta.url);

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const secretValues = new Set<string>();

/** Remembers a secret's text so any log line containing it is scrubbed. */
export function registerSecretValue(value: string): void {
  // Very short values would scrub ordinary words; passphrases that short are refused elsewhere.
  if (value.length >= 4) secretValues.add(value);
}

/** Replaces private key blocks and registered secret values in a text. */
export function redactText(text: string): string {
  let out = text.replace(PRIVATE_KEY_BLOCK, REDACTED);
  for (const value of secretValues) out = out.split(value).join(REDACTED);
  return out;
}

const LEVELS = new Set(['error', 'warn', 'info', 'debug']);

/** Logs nothing: the logger of a run without KEYPLAN_LOG (winston is not even loaded then, to keep start-up short). */
const SILENT: Logger = {
  debug: () => SILENT,
  warn: () => SILENT,
  log: () => SILENT,
} as unknown as Logger;

/** Builds the process logger from the environment (passed in, so tests can choose). */
export function createLogger(env: Readonly<Record<string, string | undefined>>): Logger {
  const level = (env.KEYPLAN_LOG ?? '').toLowerCase();
  if (!LEVELS.has(level)) return SILENT;
  const w = require('winston') as typeof winston;
  const redact = w.format((info) => {
    const line = redactText(JSON.stringify({ ...info, level: undefined }));
    const clean = JSON.parse(line) as Record<string, unknown>;
    return Object.assign(info, clean, { level: info.level });
  });
  const format = w.format.combine(redact(), w.format.timestamp(), w.format.json());
  const transport = env.KEYPLAN_LOG_FILE ? new w.transports.File({ filename: env.KEYPLAN_LOG_FILE }) : new w.transports.Stream({ stream: process.stderr });
  return w.createLogger({ level, format, transports: [transport] });
}

let current: Logger = SILENT;

/** The process-wide logger; the CLI installs the real one at start. */
export function logger(): Logger {
  return current;
}

/** Installs the process logger. */
export function setLogger(next: Logger): void {
  current = next;
}
