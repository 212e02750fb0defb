/**
 * DataOS API key tokens as Heimdall mints them (providers/outscale-dataos.md B2, verified
 * by decoding sample tokens): standard base64, with padding, of `<token-name>.<uuid-v4>`.
 * The name is therefore recoverable from the token; the UUID is the secret part.
 * Expirations are RFC 3339 and, judging by every sample, truncated to the hour.
 */
import { randomInt, randomUUID } from 'node:crypto';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HOUR_MS = 3_600_000;

/** The token string for `name` and its secret UUID. */
export function encodeToken(name: string, uuid: string): string {
  return Buffer.from(`${name}.${uuid}`, 'utf8').toString('base64');
}

/** A new secret UUID for a token. */
export function mintTokenSecret(): string {
  return randomUUID();
}

/** The name and UUID inside a token string, or undefined when it is not one. */
export function decodeToken(token: string): { readonly name: string; readonly uuid: string } | undefined {
  if (token.length === 0 || token.length > 1024) return undefined;
  const text = Buffer.from(token, 'base64').toString('utf8');
  // Node's decoder skips characters that are not base64; re-encoding tells a real token
  // from text that merely decodes to something.
  if (Buffer.from(text, 'utf8').toString('base64') !== token) return undefined;
  const dot = text.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const uuid = text.slice(dot + 1);
  return UUID_V4.test(uuid) ? { name: text.slice(0, dot), uuid } : undefined;
}

/** `now + duration`, truncated to the whole hour (UTC), as epoch ms. */
export function expirationAfter(now: number, durationMs: number): number {
  return Math.floor((now + durationMs) / HOUR_MS) * HOUR_MS;
}

/** RFC 3339 without fractional seconds, e.g. `2025-04-13T05:00:00Z`. */
export function formatExpiration(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ADVERBS = ['boldly', 'calmly', 'gently', 'quickly', 'quietly', 'rarely', 'softly', 'swiftly'];
const ADJECTIVES = ['amber', 'brave', 'clever', 'eager', 'lucky', 'mellow', 'nimble', 'sunny'];
const ANIMALS = ['badger', 'falcon', 'gecko', 'heron', 'lynx', 'otter', 'panda', 'wombat'];

/** A name for a token created without one, in the newer CLI's style `token_<adverb>_<adverb>_<adjective>_<animal>`. */
export function generatedTokenName(): string {
  const pick = (list: readonly string[]): string => list[randomInt(list.length)] as string;
  return `token_${pick(ADVERBS)}_${pick(ADVERBS)}_${pick(ADJECTIVES)}_${pick(ANIMALS)}`;
}
