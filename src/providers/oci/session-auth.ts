/**
 * Session-token profiles, as `oci session authenticate` writes them: `security_token_file`,
 * `key_file` (the session key), `fingerprint`, `tenancy`, `region`, and no `user`.
 *
 * Which method signs (decided like the OCI CLI, without a keys.yaml setting):
 *   OCI_CLI_AUTH=security_token → session token;  OCI_CLI_AUTH=api_key → API key;
 *   unset → session token when the profile has `security_token_file` and no `user`
 *   (such a profile cannot sign any other way), else API key.
 * The OCI CLI itself wants `--auth security_token`; keyplan reads the profile instead, so
 * keys.yaml needs no setting that a `profile:` change would have to keep in step.
 *
 * Signing goes through the SDK's own SessionAuthDetailProvider (keyId `ST$<token>`).
 * Before it runs, keyplan checks what the SDK would only report as a bare string or a
 * 401 later: readable token and key files, a token that is a JWT and has not expired.
 * The token's claims are read, never verified (OCI does that); no message shows it.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as common from 'oci-common';
import { scrub } from './errors.js';

export type OciAuthMethod = 'api_key' | 'security_token';

type Env = Readonly<Record<string, string | undefined>>;

/** The signing method for a profile's values (see the file comment). */
export function authMethodOf(values: Readonly<Record<string, string>>, env: Env): OciAuthMethod {
  const chosen = env['OCI_CLI_AUTH'];
  if (chosen === 'security_token' || chosen === 'api_key') return chosen;
  return values['security_token_file'] && !values['user'] ? 'security_token' : 'api_key';
}

/** What keyplan reads out of a session token. */
export interface SessionTokenClaims {
  /** The user OCID the session acts as (`sub`). */
  readonly user: string;
  /** Expiry, ms since the epoch (`exp`). */
  readonly expiresAt: number;
  /** The session public key (`jwk` claim) when the token carries one keyplan can read. */
  readonly jwk?: Readonly<Record<string, unknown>>;
}

/** Reads the claims of token text, or says why it is not a usable token (never quoting it). */
export function sessionTokenClaims(text: string): SessionTokenClaims | { readonly problem: string } {
  const parts = text.split('.');
  let claims: unknown;
  try {
    claims = parts.length === 3 ? JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) : undefined;
  } catch {
    claims = undefined;
  }
  if (typeof claims !== 'object' || claims === null) return { problem: 'does not hold a session token (a JWT)' };
  const { sub, exp, jwk } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof exp !== 'number') return { problem: 'holds a token without the `sub` and `exp` claims of an OCI session token' };
  let key: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = typeof jwk === 'string' ? JSON.parse(jwk) : jwk;
    key = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    key = undefined;
  }
  return { user: sub, expiresAt: exp * 1000, ...(key === undefined ? {} : { jwk: key }) };
}

/** Where the session profile is and what keyplan resolved around it. */
export interface SessionProfileInput {
  readonly configFile: string;
  readonly profile: string;
  /** Absolute paths of the profile's files. */
  readonly tokenFile: string;
  readonly keyFile: string;
  readonly passphrase: string | null;
  /** Region to sign for when it differs from the profile's (keys.yaml `region`, OCI_CLI_REGION). */
  readonly region: string;
  readonly now: number;
}

/** A ready session provider and the user it acts as. */
export interface SessionAuth {
  readonly auth: common.AuthenticationDetailsProvider;
  readonly user: string;
}

/**
 * Checks the session profile's files and builds the SDK's provider for it.
 * @param fail throws the caller's error, which names the config file and profile.
 */
export async function sessionAuth(input: SessionProfileInput, fail: (why: string, cause?: unknown) => never): Promise<SessionAuth> {
  const { tokenFile, keyFile, profile } = input;
  const read = async (file: string, field: string): Promise<string> => {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      return fail(`${field} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, err);
    }
  };
  const token = (await read(tokenFile, 'security_token_file')).trim();
  const claims = sessionTokenClaims(token);
  if ('problem' in claims) fail(`security_token_file ${tokenFile} ${claims.problem}`);
  const { user, expiresAt, jwk } = claims as SessionTokenClaims;
  const renew = `run \`oci session refresh --profile ${profile}\`, or \`oci session authenticate\` for a new session`;
  if (expiresAt <= input.now) fail(`the session token in ${tokenFile} expired at ${new Date(expiresAt).toISOString()}; ${renew}`);

  const pem = await read(keyFile, 'key_file');
  let publicJwk: Record<string, unknown>;
  try {
    const key = createPrivateKey(input.passphrase === null ? pem : { key: pem, passphrase: input.passphrase });
    publicJwk = createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>;
  } catch (err) {
    return fail(`key_file ${keyFile} is not a readable private key (the session key \`oci session authenticate\` wrote)`, err);
  }
  // A session key and token from two different sessions would only get a 401 later.
  if (jwk !== undefined && (jwk['n'] !== publicJwk['n'] || jwk['e'] !== publicJwk['e'])) {
    fail(`key_file ${keyFile} is not the session key of the token in ${tokenFile}; ${renew}`);
  }

  let auth: common.SessionAuthDetailProvider;
  try {
    auth = quietly(() => new common.SessionAuthDetailProvider(input.configFile, profile));
  } catch (err) {
    // The SDK throws strings and Errors that name paths and settings, never key bytes.
    return fail(`the OCI SDK cannot use this session profile: ${scrub(err instanceof Error ? err.message : String(err))}`, err);
  }
  // The SDK keeps the file's bytes; a trailing newline would end up in the Authorization header.
  if (auth.sessionToken !== token) auth.sessionToken = token;
  if (auth.getRegion().regionId !== input.region) quietly(() => auth.setRegion(input.region));
  return { auth, user };
}

/**
 * Runs a synchronous SDK call with console.info and console.warn muted: the SDK's config
 * reader prints "No DEFAULT profile was specified" to stdout, which carries keyplan's
 * results (plan JSON, Markdown), and warns about region ids keyplan registers itself.
 */
function quietly<T>(run: () => T): T {
  /* eslint-disable no-console -- muting the SDK's console output, not writing any */
  const { info, warn } = console;
  console.info = (): void => undefined;
  console.warn = (): void => undefined;
  try {
    return run();
  } finally {
    console.info = info;
    console.warn = warn;
  }
  /* eslint-enable no-console */
}
