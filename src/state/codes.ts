/**
 * Stable codes of state errors (`KP_STATE_*`). Scripts and the JSON output match on these,
 * so a code never changes meaning once released.
 */

/** Every code a state error can carry. */
export const STATE_CODES = {
  /** Another run holds the state lock (StateLockError). */
  locked: 'KP_STATE_E0001',
  /** The state file cannot be read, or is not JSON. */
  unreadable: 'KP_STATE_E0002',
  /** The state file is JSON but not a keyplan state of a version this build reads. */
  invalid: 'KP_STATE_E0003',
  /** The state being written has another lineage than the file: they are different states. */
  lineageMismatch: 'KP_STATE_E0004',
  /** The file's serial is newer than the one the state being written was read at. */
  serialBehind: 'KP_STATE_E0005',
  /** An unlock or force-unlock that cannot be done (no lock, another lock ID, unreadable lock file). */
  unlockRefused: 'KP_STATE_E0006',
  /** The file system refused to write the state or its lock file. */
  io: 'KP_STATE_E0007',
  /** The config names a state backend this build does not support. */
  unsupportedBackend: 'KP_STATE_E0010',
  /** State rule: a record's kind is not one this keyplan knows. */
  unknownKind: 'KP_STATE_E0011',
  /** State rule: a timestamp in state is not RFC 3339. */
  badTimestamp: 'KP_STATE_E0012',
  /** State rule: two records name the same live key (provider, kind, owner and id). */
  sharedLiveKey: 'KP_STATE_E0013',
  /** The postgres backend's URL variable is not set, empty, or not a postgres URL. */
  databaseUrl: 'KP_STATE_E0030',
  /** The state database cannot be reached or refuses the connection (address, TLS, password, database name). */
  databaseUnreachable: 'KP_STATE_E0031',
  /** A query on the state database failed (permissions, a schema of a newer keyplan, a server error). */
  databaseFailed: 'KP_STATE_E0032',
  /** The connection to the state database was lost and the state lock with it; a change may not be recorded. */
  connectionLost: 'KP_STATE_E0033',
  /** A command names a key that the state does not record. */
  unknownKey: 'KP_STATE_E0020',
  /** `state push` refused: the pushed state has another lineage, or is not newer than the stored one (`--force` overrides). */
  pushRefused: 'KP_STATE_E0021',
  /** `state pull` found no state: nothing was ever written to the backend. */
  noState: 'KP_STATE_E0022',
  /** `state mv` refused: the new name is taken or not a valid key name, or a journal intent or unverified rotation involves the key. */
  moveRefused: 'KP_STATE_E0023',
} as const;
