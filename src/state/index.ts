/** src/state public surface: the store interface, the local backend, state documents and pure mutations. */
export type { LockInfo, StateStore } from './store.js';
export { DEFAULT_LOCAL_STATE_PATH, LocalStateStore } from './local-store.js';
export { newState, normalizeState, parseState, serializeState } from './state-document.js';
export { STATE_SCHEMA, checkStateShape } from './state-schema.js';
export { addRetiring, forget, removeInstance, setCurrent, type ManagedIdentity } from './mutations.js';
export { clearIntent, recordIntent } from './journal.js';
export { StateSession } from './state-session.js';
