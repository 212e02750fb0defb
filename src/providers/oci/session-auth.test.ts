/** Session-token profiles: which method signs, and the checks before the SDK's session provider runs. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { KeyplanError } from '../../errors/errors.js';
import { TokenIssuer } from '../../emulators/oci/session-tokens.js';
import type { ConfigureRequest } from '../contract.js';
import { resolveOciCredentials } from './credentials.js';
import { generateApiKeyPair, type ApiKeyPair } from './keygen.js';
import { authMethodOf, sessionTokenClaims } from './session-auth.js';

const TENANCY = 'ocid1.tenancy.oc1..tenant';
const USER = 'ocid1.user.oc1..sessionuser';
const issuer = new TokenIssuer(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

let session: ApiKeyPair;
let other: ApiKeyPair;
beforeAll(async () => {
  [session, other] = await Promise.all([generateApiKeyPair({ passphrase: null }), generateApiKeyPair({ passphrase: null })]);
});

const mint = (ttlMs: number, pair: ApiKeyPair = session): string =>
  issuer.mint({ tenancy: TENANCY, user: USER, publicKeyPem: pair.publicKeyPem, now: Date.now(), ttlMs });

/** A config folder as `oci session authenticate --profile-name S` leaves it; `profile` replaces lines ($DIR: the folder, '': no line). */
function sessionHome(token: string, profile: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-oci-st-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'token'), token + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'key.pem'), session.privateKeyPem.reveal(), { mode: 0o600 });
  writeFileSync(join(dir, 'other.pem'), other.privateKeyPem.reveal(), { mode: 0o600 });
  const values = {
    fingerprint: session.fingerprint,
    key_file: join(dir, 'key.pem'),
    tenancy: TENANCY,
    region: 'us-ashburn-1',
    security_token_file: join(dir, 'token'),
    ...profile,
  };
  const lines = Object.entries(values)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => [k, v.replace('$DIR', dir)]);
  writeFileSync(join(dir, 'config'), `[S]\n${lines.map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  return dir;
}

function resolve(dir: string, settings: Record<string, unknown> = {}, env: Record<string, string> = {}): ReturnType<typeof resolveOciCredentials> {
  const req: ConfigureRequest = {
    block: { name: 'oci', type: 'oci', settings: { config_file: join(dir, 'config'), profile: 'S', ...settings } },
    baseDir: dir,
    env: { HOME: dir, ...env },
  };
  return resolveOciCredentials(req);
}

async function failure(run: Promise<unknown>): Promise<KeyplanError> {
  const err = await run.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KeyplanError);
  return err as KeyplanError;
}

describe('authMethodOf', () => {
  const tokenOnly = { security_token_file: '~/t', key_file: '~/k' };
  it.each([
    ['a profile with security_token_file and no user', tokenOnly, {}, 'security_token'],
    ['a profile with both user and security_token_file (the CLI default, api_key)', { ...tokenOnly, user: USER }, {}, 'api_key'],
    ['an API key profile', { user: USER, key_file: '~/k' }, {}, 'api_key'],
    ['OCI_CLI_AUTH=security_token, even with a user', { ...tokenOnly, user: USER }, { OCI_CLI_AUTH: 'security_token' }, 'security_token'],
    ['OCI_CLI_AUTH=api_key, even for a token-only profile', tokenOnly, { OCI_CLI_AUTH: 'api_key' }, 'api_key'],
  ])('%s', (_, values, env, method) => {
    expect(authMethodOf(values, env)).toBe(method);
  });
});

describe('sessionTokenClaims', () => {
  it('reads sub, exp and the jwk claim, and says what is wrong with anything else', () => {
    const claims = sessionTokenClaims(mint(60_000));
    expect(claims).toMatchObject({ user: USER, jwk: { kty: 'RSA' } });
    expect(sessionTokenClaims('abc')).toEqual({ problem: 'does not hold a session token (a JWT)' });
    const noSub = `e30.${Buffer.from('{"exp":1}').toString('base64url')}.x`;
    expect(sessionTokenClaims(noSub)).toEqual({ problem: 'holds a token without the `sub` and `exp` claims of an OCI session token' });
  });
});

describe('resolveOciCredentials with a session-token profile', () => {
  it('signs through the SDK session provider as the token subject, keyId ST$<token> without the newline', async () => {
    const token = mint(3_600_000);
    const dir = sessionHome(token);
    const c = await resolve(dir, { region: 'eu-frankfurt-1' });
    expect(c).toMatchObject({ tenancy: TENANCY, user: USER, region: 'eu-frankfurt-1', origin: `session token of profile [S] of ${dir}/config` });
    expect(await c.auth.getKeyId()).toBe(`ST$${token}`);
    expect(c.refusedHint).toBe(
      `OCI refused the session token of profile [S] of ${dir}/config; if it was revoked or has expired, run \`oci session refresh --profile S\` or \`oci session authenticate\``,
    );
  });

  it('an expired token: names the file, the profile and what renews it, never the token', async () => {
    const token = mint(-60_000);
    const dir = sessionHome(token);
    const err = await failure(resolve(dir));
    expect(err.message).toMatch(
      new RegExp(
        `^OCI config profile \\[S\\] of ${dir}/config: the session token in ${dir}/token expired at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z; run \`oci session refresh --profile S\``,
      ),
    );
    expect(err.code).toBe('KP_OCI_E0013');
    expect(err.message).not.toContain(token.slice(0, 20));
  });

  it.each([
    ['a missing token file', { security_token_file: '/nonexistent/token' }, 'security_token_file /nonexistent/token cannot be read (ENOENT)'],
    ['a token file that holds no JWT', { security_token_file: '$DIR/key.pem' }, 'does not hold a session token (a JWT)'],
    ['a key that is not the session key of the token', { key_file: '$DIR/other.pem' }, 'is not the session key of the token in'],
    [
      'a relative token path',
      { security_token_file: 'sessions/S/token' },
      'security_token_file sessions/S/token must be an absolute path or start with ~/ in a session-token profile',
    ],
    ['no region', { region: '' }, 'session-token profile is missing region'],
  ])('%s is refused with the config file and profile named', async (_, change, why) => {
    const dir = sessionHome(mint(60_000), change);
    const err = await failure(resolve(dir));
    expect(err.message).toMatch(new RegExp(`^OCI config profile \\[S\\] of ${dir}/config: `));
    expect(err.message).toContain(why);
  });

  it('OCI_CLI_AUTH=security_token on an API key profile asks for its security_token_file', async () => {
    const dir = sessionHome(mint(60_000), { security_token_file: '', user: USER });
    const err = await failure(resolve(dir, {}, { OCI_CLI_AUTH: 'security_token' }));
    expect(err.message).toBe(
      `OCI config profile [S] of ${dir}/config: session-token profile is missing security_token_file (neither in the profile nor in [DEFAULT])`,
    );
  });
});
