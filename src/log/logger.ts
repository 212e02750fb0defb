/**
 * Debug logging for keyplan's own troubleshooting (never user output): silent unless
 * KEYPLAN_LOG=debug (or info/warn/error); to stderr, or to KEYPLAN_LOG_FILE.
 * Every line passes a redaction step: PEM private key blocks and every value registered
 * with `registerSecretValue` (passphrases read from env) are replaced before writing.
 */
import winston from 'winston';
import { REDACTED } from '../model/secret.js';

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

const redact = winston.format((info) => {
  const line = redactText(JSON.stringify({ ...info, level: undefined }));
  const clean = JSON.parse(line) as Record<string, unknown>;
  return Object.assign(info, clean, { level: info.level });
});

const LEVELS = new Set(['error', 'warn', 'info', 'debug']);

/** Builds the process logger from the environment (passed in, so tests can choose). */
export function createLogger(env: Readonly<Record<string, string | undefined>>): winston.Logger {
  const level = (env.KEYPLAN_LOG ?? '').toLowerCase();
  const enabled = LEVELS.has(level);
  const format = winston.format.combine(redact(), winston.format.timestamp(), winston.format.json());
  const transport = env.KEYPLAN_LOG_FILE
    ? new winston.transports.File({ filename: env.KEYPLAN_LOG_FILE })
    : new winston.transports.Stream({ stream: process.stderr });
  return winston.createLogger({ level: enabled ? level : 'error', silent: !enabled, format, transports: [transport] });
}

let current: winston.Logger = winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });

/** The process-wide logger; the CLI installs the real one at start. */
export function logger(): winston.Logger {
  return current;
}

/** Installs the process logger. */
export function setLogger(next: winston.Logger): void {
  current = next;
}
