/**
 * Checks Heimdall's JSON answers (unknown until here) against the shapes the DataOS
 * SDKs and Querybook read (providers/outscale-dataos.md B2): Token {name, type,
 * expiration, user_id, data: {apikey}}, and authorize {allow, valid, result: {id},
 * error?: {status, message}}. A list item's `data.apikey` (the list may carry secrets)
 * is never read: only a create answer's token is.
 */
import { Secret } from '../../model/secret.js';
import { registerSecretValue } from '../../log/logger.js';
import { isoOf } from '../../model/iso-time.js';

/** A token as listed: never its secret. */
export interface ListedToken {
  readonly name: string;
  readonly type: string;
  /** RFC 3339, when Heimdall gave one that parses. */
  readonly expiration?: string;
}

/** A created (or re-used) token, with its secret. */
export interface CreatedToken extends ListedToken {
  readonly token: Secret;
}

/** The whoami answer. */
export type AuthorizeAnswer =
  { readonly valid: true; readonly userId: string } | { readonly valid: false; readonly status?: number; readonly message?: string };

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function expirationOf(v: unknown): string | undefined {
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(ms) ? undefined : isoOf(v as string, ms);
}

/** One listed token, or undefined when the item is not a token. */
function listedToken(item: unknown): ListedToken | undefined {
  const r = record(item);
  if (r === undefined || typeof r['name'] !== 'string' || r['name'] === '') return undefined;
  const expiration = expirationOf(r['expiration']);
  return { name: r['name'], type: typeof r['type'] === 'string' ? r['type'] : '', ...(expiration === undefined ? {} : { expiration }) };
}

/** The tokens of a `GET users/{id}/tokens` answer, or a sentence saying why it is not a list. */
export function parseTokenList(body: unknown): ListedToken[] | string {
  if (!Array.isArray(body)) return `expected a list of tokens, got ${body === undefined ? 'an empty body' : typeof body}`;
  const out: ListedToken[] = [];
  for (const item of body) {
    const token = listedToken(item);
    if (token === undefined) return 'a list item has no token name';
    out.push(token);
  }
  return out;
}

/** The token of a create answer (its secret at `data.apikey`), or a sentence saying what is missing. */
export function parseCreatedToken(body: unknown): CreatedToken | string {
  const listed = listedToken(body);
  if (listed === undefined) return 'the answer has no token name';
  const apikey = record(record(body)?.['data'])?.['apikey'];
  if (typeof apikey !== 'string' || apikey === '') return `token ${listed.name} came without data.apikey`;
  // From here on any log line or message that happens to contain it is scrubbed.
  registerSecretValue(apikey);
  return { ...listed, token: new Secret(apikey) };
}

/** The authorize answer: the caller's user id at `result.id` when the token is valid. */
export function parseAuthorize(body: unknown): AuthorizeAnswer | string {
  const r = record(body);
  if (r === undefined) return 'expected a JSON object';
  const id = record(r['result'])?.['id'];
  if (r['valid'] === true && typeof id === 'string' && id !== '') return { valid: true, userId: id };
  if (r['valid'] === true) return 'the token is valid but result.id is missing';
  const error = record(r['error']);
  return {
    valid: false,
    ...(typeof error?.['status'] === 'number' ? { status: error['status'] } : {}),
    ...(typeof error?.['message'] === 'string' ? { message: error['message'] } : {}),
  };
}
