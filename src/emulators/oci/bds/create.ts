/**
 * CreateBdsApiKey (providers/oci.md §2.1, §2.3): checks the request, generates the RSA
 * pair itself (as BDS does on the user's behalf), keeps the public half and a salted hash
 * of the passphrase, and answers 202 with a CREATE_API_KEY work request. The slot limit
 * is not checked here: the real service reports it as a FAILED work request (complete.ts).
 * The same `opc-retry-token` with the same request replays the first answer.
 */
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { authenticatesFromField } from '../../shared/index.js';
import { OciHttpError, invalidParameter } from '../errors.js';
import { generateRsaKeyPair } from '../credentials.js';
import { fingerprintOf } from '../public-key.js';
import type { Reply } from '../handlers.js';
import { bdsDoc, ensureCluster, headerOf, jsonObjectBody, lookupCluster, stringField, type BdsContext } from './context.js';
import type { BdsKeyRecord } from './document.js';
import { mintRegionalOcid } from './ids.js';
import { hashPassphrase, isBase64, passphraseMatchesSync } from './passphrase.js';
import { acceptWorkRequest } from './work-requests.js';

/** How long a retry token is remembered (24 h, as in Identity). */
export const BDS_RETRY_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** "Only ASCII alphanumeric characters with no spaces allowed." */
export const KEY_ALIAS_PATTERN = /^[A-Za-z0-9]+$/;

interface CreateDetails {
  readonly userId: string;
  readonly passphrase: string;
  readonly keyAlias: string;
  readonly defaultRegion: string | undefined;
  readonly domainOcid: string | undefined;
}

function parseDetails(ctx: BdsContext): CreateDetails {
  const body = jsonObjectBody(ctx);
  const details: CreateDetails = {
    userId: stringField(body, 'userId', true),
    passphrase: stringField(body, 'passphrase', true),
    keyAlias: stringField(body, 'keyAlias', true),
    defaultRegion: stringField(body, 'defaultRegion', false),
    domainOcid: stringField(body, 'domainOcid', false),
  };
  const bds = ctx.options.bds;
  if (!KEY_ALIAS_PATTERN.test(details.keyAlias)) {
    // [guess] providers/oci.md §2.3: status and code are options.
    throw new OciHttpError(bds.invalidAliasError.status, bds.invalidAliasError.code, 'keyAlias may contain only ASCII letters and digits, with no spaces.');
  }
  if (!details.userId.startsWith('ocid1.user.')) throw invalidParameter('userId must be a user OCID.');
  if (details.passphrase.length === 0) throw invalidParameter('passphrase must not be empty.');
  if (bds.validateBase64Passphrase && !isBase64(details.passphrase)) throw invalidParameter('passphrase must be base64 encoded.');
  return details;
}

/** Hash of the request without the passphrase: the store must not hold anything derived from it cheaply. */
function requestHashOf(ctx: BdsContext, bdsId: string, d: CreateDetails): string {
  const visible = [bdsId, d.userId, d.keyAlias, d.defaultRegion ?? null, d.domainOcid ?? null];
  return createHash('sha256')
    .update(`${ctx.request.method} ${ctx.request.rawUrl}\n${JSON.stringify(visible)}`)
    .digest('hex');
}

/** The replayed answer for `token`, undefined when the token is new; 409 when it was used otherwise. */
function replay(ctx: BdsContext, bdsId: string, token: string, requestHash: string, passphrase: string): Reply | undefined {
  const tokens = bdsDoc(ctx).retryTokens;
  for (const [t, rec] of Object.entries(tokens)) if (rec.expiresAt <= ctx.now) delete tokens[t];
  const seen = Object.hasOwn(tokens, token) ? tokens[token] : undefined;
  if (seen === undefined) return undefined;
  // The passphrase is not in the hash; compare it with the key's own check while the key exists.
  const key = bdsDoc(ctx).clusters[bdsId]?.keys.find((k) => k.id === seen.keyId);
  if (seen.requestHash !== requestHash || (key !== undefined && !passphraseMatchesSync(passphrase, key.passphrase))) {
    throw new OciHttpError(409, 'InvalidatedRetryToken', 'The retry token was already used for a different request.');
  }
  return { status: 202, headers: { 'opc-work-request-id': seen.workRequestId } };
}

function requireFreeAlias(ctx: BdsContext, bdsId: string, alias: string): void {
  if (lookupCluster(ctx, bdsId)?.keys.some((k) => k.keyAlias === alias) === true) {
    const { status, code } = ctx.options.bds.duplicateAliasError;
    throw new OciHttpError(status, code, `The cluster already has an API key with alias ${alias}.`);
  }
}

/** POST /bdsInstances/{id}/apiKeys. */
export async function createBdsApiKey(ctx: BdsContext, bdsId: string): Promise<Reply> {
  lookupCluster(ctx, bdsId);
  const details = parseDetails(ctx);
  const token = headerOf(ctx, 'opc-retry-token');
  if (token !== undefined && (token.length < 1 || token.length > 64)) throw invalidParameter('opc-retry-token must be 1 to 64 characters long.');
  const requestHash = requestHashOf(ctx, bdsId, details);
  const early = token === undefined ? undefined : replay(ctx, bdsId, token, requestHash, details.passphrase);
  if (early !== undefined) return early;
  requireFreeAlias(ctx, bdsId, details.keyAlias);

  const [pair, passphrase] = await Promise.all([generateRsaKeyPair(), hashPassphrase(details.passphrase)]);
  // While the key was generated, other requests (or processes) may have changed the store.
  ctx.store.sync();
  const late = token === undefined ? undefined : replay(ctx, bdsId, token, requestHash, details.passphrase);
  if (late !== undefined) return late;
  requireFreeAlias(ctx, bdsId, details.keyAlias);

  const cluster = ensureCluster(ctx, bdsId);
  const doc = bdsDoc(ctx);
  const key: BdsKeyRecord = {
    id: mintRegionalOcid('bdsapikey', ctx.store.region),
    keyAlias: details.keyAlias,
    userId: details.userId,
    // "If omitted, the same region where the cluster lives" (providers/oci.md §2.1).
    defaultRegion: details.defaultRegion ?? ctx.store.region,
    ...(details.domainOcid === undefined ? {} : { domainOcid: details.domainOcid }),
    fingerprint: fingerprintOf(createPublicKey(pair.publicKeyPem)),
    publicKeyPem: pair.publicKeyPem.replace(/\s+$/, ''),
    // [guess] the service picks the path; this one is shaped like a cluster-local key file.
    pemfilepath: `/opt/oracle/bds/objectstore/keys/${details.keyAlias}.pem`,
    timeCreated: new Date(ctx.now).toISOString(),
    seq: doc.nextSeq,
    lifecycleState: 'CREATING',
    etag: randomBytes(16).toString('hex'),
    passphrase,
    ...authenticatesFromField(ctx.options, ctx.now),
  };
  doc.nextSeq += 1;
  cluster.keys.push(key);
  const wr = acceptWorkRequest(ctx, { operationType: 'CREATE_API_KEY', bdsInstanceId: bdsId, keyId: key.id, compartmentId: cluster.compartmentId });
  if (token !== undefined) {
    doc.retryTokens[token] = { requestHash, workRequestId: wr.id, keyId: key.id, expiresAt: ctx.now + BDS_RETRY_TOKEN_TTL_MS };
  }
  ctx.store.commit();
  return { status: 202, headers: { 'opc-work-request-id': wr.id } };
}
