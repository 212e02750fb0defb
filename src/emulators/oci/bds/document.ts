/**
 * The BDS part of the emulator's persisted document (`store.json`, key `bds`): clusters
 * with their API keys, work requests and the retry tokens of CreateBdsApiKey. It lives in
 * the Identity store's document so one file, one lock-free sync and one commit cover both
 * services (a BDS key also occupies an IAM key slot). No passphrase and no private key is
 * ever part of it: a key keeps only its public half and a salted hash of the passphrase.
 */
import { isRecord } from '../../shared/index.js';

/** BDS key states this emulator produces (the API also knows DELETED and FAILED). */
export type BdsKeyState = 'CREATING' | 'ACTIVE' | 'DELETING';

/** scrypt(passphrase, salt); enough to answer "is this the key's passphrase?" and nothing more. */
export interface PassphraseCheck {
  /** base64 */
  readonly salt: string;
  /** base64 */
  readonly hash: string;
}

/** One BDS API key as stored. */
export interface BdsKeyRecord {
  readonly id: string;
  readonly keyAlias: string;
  readonly userId: string;
  readonly defaultRegion: string;
  readonly domainOcid?: string;
  readonly fingerprint: string;
  /** SPKI PEM: what BDS uploads to the user's IAM keys. */
  readonly publicKeyPem: string;
  readonly pemfilepath: string;
  /** RFC 3339 with milliseconds and `Z`. */
  readonly timeCreated: string;
  /** Creation order: breaks ties between keys created in the same millisecond. */
  readonly seq: number;
  lifecycleState: BdsKeyState;
  etag: string;
  readonly passphrase: PassphraseCheck;
  /** When a connection test with the key can succeed (shared/new-key-auth.ts): absent = at once, null = never. */
  readonly authenticatesFrom?: number | null;
}

/** A Big Data Service cluster, reduced to what its API keys need. */
export interface ClusterRecord {
  readonly compartmentId: string;
  /** Shown by GetBdsInstance; stores written before it existed have none. */
  readonly displayName?: string;
  /** RFC 3339; stores written before it existed have none. */
  readonly timeCreated?: string;
  keys: BdsKeyRecord[];
}

/** Operation types of the work requests this emulator creates. */
export type BdsOperation = 'CREATE_API_KEY' | 'DELETE_API_KEY' | 'TEST_OBJECT_STORE_CONNECTION';

/** WorkRequest.status values. */
export type WorkRequestStatus = 'ACCEPTED' | 'IN_PROGRESS' | 'FAILED' | 'SUCCEEDED' | 'CANCELING' | 'CANCELED';

/** WorkRequestResource.actionType values. */
export type WorkRequestAction = 'CREATED' | 'UPDATED' | 'DELETED' | 'IN_PROGRESS' | 'FAILED';

/** One WorkRequestError. */
export interface WorkRequestErrorRecord {
  readonly code: string;
  readonly message: string;
  readonly timestamp: string;
}

/** A work request as stored. */
export interface WorkRequestRecord {
  readonly id: string;
  readonly compartmentId: string;
  readonly operationType: BdsOperation;
  readonly bdsInstanceId: string;
  readonly keyId: string;
  status: WorkRequestStatus;
  actionType: WorkRequestAction;
  percentComplete: number;
  readonly timeAccepted: string;
  timeStarted?: string;
  timeFinished?: string;
  /** GETs left that still find it IN_PROGRESS. */
  pollsLeft: number;
  /**
   * An outcome decided when the request was accepted, because the evidence cannot be kept
   * until the work runs: a connection test compares the passphrase on arrival.
   */
  readonly plannedError?: { readonly code: string; readonly message: string };
  errors: WorkRequestErrorRecord[];
  /** What ListWorkRequestLogs shows, oldest first; stores written before it existed have none. */
  logs?: WorkRequestLogRecord[];
}

/** One WorkRequestLogEntry. */
export interface WorkRequestLogRecord {
  readonly message: string;
  readonly timestamp: string;
}

/** What a CreateBdsApiKey with `opc-retry-token` answered. */
export interface BdsRetryRecord {
  /** sha256 of method, path and the request's non-secret fields. */
  readonly requestHash: string;
  readonly workRequestId: string;
  readonly keyId: string;
  /** Epoch ms after which the token may be used afresh. */
  readonly expiresAt: number;
}

/** The `bds` member of store.json. */
export interface BdsDocument {
  readonly clusters: Record<string, ClusterRecord>;
  readonly workRequests: Record<string, WorkRequestRecord>;
  readonly retryTokens: Record<string, BdsRetryRecord>;
  nextSeq: number;
}

/** A document with nothing in it. */
export function emptyBdsDocument(): BdsDocument {
  return { clusters: {}, workRequests: {}, retryTokens: {}, nextSeq: 1 };
}

/** Throws (through `fail`) unless `raw` has the shape of a BdsDocument. */
export function checkBdsDocument(raw: unknown, fail: (what: string) => never): void {
  if (!isRecord(raw)) fail('a `bds` object');
  const doc = raw as Record<string, unknown>;
  for (const field of ['clusters', 'workRequests', 'retryTokens'] as const) {
    if (!isRecord(doc[field])) fail(`a \`bds.${field}\` object`);
  }
  if (typeof doc['nextSeq'] !== 'number') fail('a number `bds.nextSeq`');
  for (const cluster of Object.values(doc['clusters'] as Record<string, unknown>)) {
    if (!isRecord(cluster) || !Array.isArray(cluster['keys']) || typeof cluster['compartmentId'] !== 'string') {
      fail('a `compartmentId` and a `keys` array for every BDS cluster');
    }
  }
  for (const wr of Object.values(doc['workRequests'] as Record<string, unknown>)) {
    if (!isRecord(wr) || typeof wr['id'] !== 'string' || !Array.isArray(wr['errors'])) fail('an `id` and an `errors` array for every work request');
  }
}
