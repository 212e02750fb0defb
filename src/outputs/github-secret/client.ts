/**
 * The GitHub REST calls a `github_secret` output makes, with the headers GitHub asks
 * for (`Authorization: Bearer`, `Accept: application/vnd.github+json`, the API version,
 * a User-Agent, which GitHub requires), and the DELETE of a rollback. A lost connection or
 * a 502/503/504 is tried again (twice, after a short pause): every call is idempotent, a
 * PUT of the same value included. Nothing here logs or returns the token.
 */
import { keyplanVersion } from '../../version.js';

/** The REST API version keyplan is written against. */
export const GITHUB_API_VERSION = '2022-11-28';

const ATTEMPTS = 3;
const RETRY_PAUSE_MS = 250;
const REQUEST_TIMEOUT_MS = 30_000;
const RETRIED = new Set([502, 503, 504]);

/** Where and as whom to call. */
export interface GithubConnection {
  /** API root without a trailing slash. */
  readonly apiUrl: string;
  readonly token: string;
  readonly signal?: AbortSignal;
}

/** An answer: the status and the parsed JSON body (undefined when empty or not JSON). */
export interface GithubAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The connection could not be made or broke (after the retries); `cause` is fetch's error. */
export class GithubUnreachable extends Error {
  constructor(apiUrl: string, cause: unknown) {
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    super(`cannot reach ${apiUrl}: ${reason}`, { cause });
    this.name = 'GithubUnreachable';
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

// A function, so the check is made afresh after an await (TypeScript would narrow a property read).
const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

async function once(conn: GithubConnection, method: string, path: string, body: unknown): Promise<GithubAnswer> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = conn.signal === undefined ? timeout : AbortSignal.any([conn.signal, timeout]);
  const res = await fetch(`${conn.apiUrl}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${conn.token}`,
      'x-github-api-version': GITHUB_API_VERSION,
      'user-agent': `keyplan/${keyplanVersion()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed };
}

/** One call, tried again on a lost connection or a 502/503/504; throws GithubUnreachable when every try failed to connect. */
export async function githubRequest(conn: GithubConnection, method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<GithubAnswer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    if (attempt > 1) await pause(RETRY_PAUSE_MS * (attempt - 1), conn.signal);
    if (aborted(conn.signal)) throw new GithubUnreachable(conn.apiUrl, conn.signal?.reason);
    try {
      const answer = await once(conn, method, path, body);
      if (!RETRIED.has(answer.status) || attempt === ATTEMPTS) return answer;
    } catch (error) {
      lastError = error;
      // Ctrl-C: no further tries.
      if (aborted(conn.signal)) break;
    }
  }
  throw new GithubUnreachable(conn.apiUrl, lastError);
}

/** GitHub's `message` from an error body, when it has one. */
export function githubMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as Record<string, unknown>)['message'];
  return typeof message === 'string' && message !== '' ? message : undefined;
}
