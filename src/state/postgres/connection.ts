/**
 * src/state/postgres: the `postgres` state backend, state kept as rows in a `keyplan`
 * schema and guarded by a session-level advisory lock, so runners on several machines
 * share one state.
 *
 * This file turns the URL (read from the environment, never from keys.yaml) into pg's
 * client settings, and every pg error into a KeyplanError whose text never holds the
 * password: pg's own messages rarely do, but a URL echoed back, a keyword DSN or a
 * driver message quoting its input would, and a leaked database password is worse than
 * a terse error.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { KeyplanError } from '../../errors/errors.js';
import { registerSecretValue } from '../../log/logger.js';
import { REDACTED, Secret } from '../../model/secret.js';
import { STATE_CODES } from '../codes.js';

/** Where the state database is, as the config and environment say. */
export interface PostgresTarget {
  /** Environment variable the URL came from; messages name it, never the URL. */
  readonly urlEnv: string;
  /** The connection URL, e.g. `postgres://user:password@db:5432/keyplan?sslmode=verify-full`. */
  readonly url: Secret;
  /** Absolute path of a PEM CA file the server certificate must chain to. */
  readonly caFile?: string;
  /** @default 10000 */
  readonly connectTimeoutMs?: number;
}

const URL_SCHEMES = ['postgres:', 'postgresql:'];

/** Reads the URL from `env[urlEnv]`; a missing, empty or non-postgres value is a user error naming the variable only. */
export function targetFromEnv(urlEnv: string, env: Readonly<Record<string, string | undefined>>, caFile?: string): PostgresTarget {
  const value = env[urlEnv]?.trim() ?? '';
  if (value === '') {
    throw new KeyplanError(`the postgres state backend needs its connection URL in the environment variable ${urlEnv}, which is not set or empty`, {
      code: STATE_CODES.databaseUrl,
      source: 'user',
    });
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !URL_SCHEMES.includes(parsed.protocol)) {
    throw new KeyplanError(`${urlEnv} must hold a URL of the form postgres://USER:PASSWORD@HOST:PORT/DATABASE (its value is not printed)`, {
      code: STATE_CODES.databaseUrl,
      source: 'user',
    });
  }
  // The logger scrubs registered values from every line, as a second line of defence.
  const password = decodeURIComponent(parsed.password);
  if (password !== '') {
    registerSecretValue(password);
    registerSecretValue(parsed.password);
  }
  return { urlEnv, url: new Secret(value), ...(caFile !== undefined ? { caFile } : {}) };
}

/**
 * pg's settings for `target`. A CA file is read here (so a wrong path is named clearly) and
 * handed to pg as the URL's `sslrootcert`, which composes with the URL's `sslmode` the way
 * libpq does; a `ssl` option next to the URL would be overridden by its `sslmode`.
 */
export function clientConfig(target: PostgresTarget): pg.ClientConfig {
  const url = new URL(target.url.reveal());
  if (target.caFile !== undefined) {
    try {
      readFileSync(target.caFile, 'utf8');
    } catch (error) {
      throw new KeyplanError(`cannot read the state database's ca_file ${target.caFile}: ${(error as Error).message}`, {
        code: STATE_CODES.databaseUnreachable,
        source: 'user',
      });
    }
    url.searchParams.set('sslrootcert', target.caFile);
  }
  return {
    connectionString: url.toString(),
    connectionTimeoutMillis: target.connectTimeoutMs ?? 10_000,
    application_name: 'keyplan',
  };
}

/** Removes the URL's password (raw and decoded), any `user:password@` of a URL and any `password=` of a keyword DSN from `text`. */
export function scrubPassword(text: string, target: PostgresTarget | undefined): string {
  let out = text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, `$1${REDACTED}@`)
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi, `$1${REDACTED}`);
  if (target !== undefined) {
    const raw = safeUrl(target.url.reveal())?.password ?? '';
    for (const secret of [raw, safeDecode(raw)]) {
      if (secret.length > 0) out = out.split(secret).join(REDACTED);
    }
  }
  return out;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** SQLSTATE classes and socket errors that mean the session is gone (terminated, server down, network cut). */
const LOST_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
const LOST_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const LOST_MESSAGES = [/connection terminated/i, /not queryable/i, /connection timeout/i, /terminating connection/i, /Connection ended/i];

/** True when `error` means the connection is gone, so a retry on a new connection may succeed. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && (LOST_SQLSTATES.has(e.code) || LOST_SOCKET_CODES.has(e.code))) return true;
  return typeof e?.message === 'string' && LOST_MESSAGES.some((re) => re.test(e.message as string));
}

/** The reason pg gave, scrubbed, with the SQLSTATE when there is one. */
export function reasonOf(error: unknown, target: PostgresTarget | undefined): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : String(error);
  const code = typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? ` (SQLSTATE ${e.code})` : '';
  return scrubPassword(`${message}${code}`, target);
}

/**
 * A KeyplanError for a pg failure. The raw error is not kept as `cause` (the CLI prints
 * causes, and a driver error may quote its input); its scrubbed text is in the message.
 */
export function databaseError(message: string, error: unknown, target: PostgresTarget | undefined, code: string = STATE_CODES.databaseFailed): KeyplanError {
  return new KeyplanError(scrubPassword(`${message}: ${reasonOf(error, target)}`, target), { code, source: 'user' });
}
