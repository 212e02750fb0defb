/**
 * Who sent a request (providers/outscale-dataos.md §A5): an OSC4/AWS4 signature by one
 * of the account's access keys, or Basic login/password (with X-Osc-Date) on the calls
 * that accept it. Failures are 401 code 1 for the client; the request log says why.
 * Four failures in a row lock the account (401 code 13), as the spec's brute-force note says.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Secret } from '../../model/secret.js';
import {
  parseAuthorization,
  parseBasicAuthorization,
  parseSigningDate,
  verifySignature,
  type ReceivedRequest,
} from '../../providers/outscale/signing/index.js';
import { notYetAuthenticating } from '../shared/index.js';
import { authFailed, basicNotAllowed, lockedOut, unknownAuthType } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { canSign, type AccessKeyStore, type Owner } from './store.js';

/** The authenticated sender: the account itself (owner undefined) or one of its EIM users. */
export interface Caller {
  readonly owner: Owner;
  readonly via: 'signature' | 'basic';
  /** The signing key (signature auth only). */
  readonly accessKeyId?: string;
}

/** Calls whose `security` lists BasicAuth besides AK/SK (§A5); all others refuse it with code 9. */
export const BASIC_AUTH_ACTIONS: ReadonlySet<string> = new Set([
  'CreateAccessKey',
  'ReadAccessKeys',
  'UpdateAccessKey',
  'DeleteAccessKey',
  'ReadApiAccessPolicy',
]);

/** Brute-force protection: consecutive failures lock the account, longer each time, at most 10×. */
export class Lockout {
  #failures = 0;
  #lockedUntil = 0;
  readonly #after: number;
  readonly #unitMs: number;

  constructor(after: number, unitMs: number) {
    this.#after = after;
    this.#unitMs = unitMs;
  }

  /** Throws 401 code 13 while the account is locked. */
  check(now: number): void {
    if (now < this.#lockedUntil) throw lockedOut(this.#lockedUntil);
  }

  fail(now: number): void {
    if (this.#after === 0) return;
    this.#failures += 1;
    if (this.#failures % this.#after === 0) {
      this.#lockedUntil = now + Math.min(this.#failures / this.#after, 10) * this.#unitMs;
    }
  }

  succeed(): void {
    this.#failures = 0;
  }
}

function sameSecret(a: string, b: string): boolean {
  // Hash first: timingSafeEqual needs equal lengths, and the length must not leak either.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function headerOf(req: ReceivedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return v === undefined ? undefined : typeof v === 'string' ? v : v.join(', ');
}

function basic(req: ReceivedRequest, auth: string, action: string, store: AccessKeyStore, opts: ResolvedOptions, lockout: Lockout, now: number): Caller {
  if (!BASIC_AUTH_ACTIONS.has(action)) throw basicNotAllowed(action);
  const creds = parseBasicAuthorization(auth);
  if (creds === undefined) throw authFailed('Basic credentials are not base64 login:password');
  if (creds.login !== store.account.login) throw authFailed('unknown login');
  lockout.check(now);
  const signedAt = parseSigningDate(headerOf(req, 'x-osc-date') ?? '');
  if (signedAt === undefined) throw authFailed('Basic auth without a valid X-Osc-Date');
  // [guess] the replay window of signatures applies to the X-Osc-Date of Basic auth too.
  if (Math.abs(signedAt.getTime() - now) > opts.clockSkewMs) throw authFailed('X-Osc-Date is outside the allowed clock skew');
  if (!sameSecret(creds.password.reveal(), store.account.password)) {
    lockout.fail(now);
    throw authFailed('wrong password');
  }
  lockout.succeed();
  return { owner: undefined, via: 'basic' };
}

/** Authenticates the request for `action` or throws the OUTSCALE 401. */
export function authenticate(req: ReceivedRequest, action: string, store: AccessKeyStore, opts: ResolvedOptions, lockout: Lockout): Caller {
  const now = opts.now();
  const auth = headerOf(req, 'authorization');
  if (auth === undefined || auth.trim().length === 0) throw authFailed('no Authorization header');
  if (/^Basic\s/i.test(auth)) return basic(req, auth, action, store, opts, lockout, now);
  if (!/^(OSC4|AWS4)-HMAC-SHA256\s/.test(auth)) throw unknownAuthType('Authorization is neither OSC4, AWS4 nor Basic');

  const parsed = parseAuthorization(auth);
  // Failures are counted only against an identity of this account: an unknown key cannot lock it.
  const found = parsed === undefined ? undefined : store.locate(parsed.accessKey);
  // A key the gateway does not accept yet (or ever) is refused as an unknown one: same 401, no lockout count.
  const propagating = found === undefined ? undefined : notYetAuthenticating(found.key.authenticatesFrom, now);
  const located = propagating === undefined ? found : undefined;
  if (located !== undefined) lockout.check(now);
  const result = verifySignature(req, {
    now: new Date(now),
    maxSkewMs: opts.clockSkewMs,
    lookupSecret: () => (located !== undefined && canSign(located.key, now) ? new Secret(located.key.secretKey) : undefined),
  });
  if (!result.ok) {
    if (located !== undefined) lockout.fail(now);
    throw authFailed(propagating ?? result.reason);
  }
  lockout.succeed();
  return { owner: located?.owner, via: 'signature', accessKeyId: result.accessKey };
}
