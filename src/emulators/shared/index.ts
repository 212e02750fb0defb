/**
 * src/emulators/shared: what the OCI (with BDS), OUTSCALE and DataOS emulators do the same
 * way, so it is written once and a fix to it reaches all three:
 * - persist + json-store: the data-folder store (atomic mode-0600 writes, reload when
 *   another process sharing the sandbox replaced the file, damaged-file errors);
 * - http-server: listen on 127.0.0.1, bounded body, latency, JSON reply headers, bounded
 *   request log, close that drops keep-alive connections;
 * - faults: the seeded dice of fault injection, and latency;
 * - options: the server options (port, dataDir, latencyMs, failRate, seed) and their checks;
 * - new-key-auth: when a key created through the API starts to authenticate (delay, never).
 * Each provider's wire format stays in its own folder: routes, auth, error bodies, request
 * ids, which errors an injected fault becomes, and the order of its checks.
 */
export { FaultInjector, seededRandom } from './faults.js';
export { emulatorBug, startHttpEmulator, type HttpAnswer, type HttpEmulatorServer, type HttpEmulatorSpec, type LoggedRequest } from './http-server.js';
export { isRecord, JsonStore, type JsonStoreFormat } from './json-store.js';
export { nonNegative, resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './options.js';
export { readFileIfExists, writeFileAtomic } from './persist.js';
export {
  authenticatesFromField,
  newKeyAuthFromExtra,
  notYetAuthenticating,
  resolveNewKeyAuth,
  type AuthenticatesFrom,
  type NewKeyAuthOptions,
  type ResolvedNewKeyAuth,
} from './new-key-auth.js';
