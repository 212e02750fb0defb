/**
 * keyplan's error classes. Each carries a stable code, who is to blame, and an optional
 * cause. The CLI prints `message` (and causes) and maps the class to an exit code; stack
 * traces only with --debug. Messages never contain secret values.
 */
import type { Diagnostic } from './diagnostic.js';
import { INTERNAL_CODES, PROVIDER_CODES } from './codes.js';

/** Who is to blame: the user's input, the provider's answer, or a bug in keyplan. */
export type Blame = 'user' | 'provider' | 'internal';

export interface KeyplanErrorOptions {
  readonly code: string;
  readonly source: Blame;
  readonly cause?: unknown;
}

export class KeyplanError extends Error {
  readonly code: string;
  readonly source: Blame;

  constructor(message: string, options: KeyplanErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.source = options.source;
  }
}

/**
 * The config (or a command's arguments) is wrong; carries every problem found. `code` comes
 * from the registry of the area that found the problems (config/codes.ts, a provider's).
 */
export class ConfigError extends KeyplanError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(message: string, diagnostics: readonly Diagnostic[], code: string, cause?: unknown) {
    super(message, { code, source: 'user', cause });
    this.diagnostics = diagnostics;
  }
}

export interface ProviderErrorOptions {
  readonly code?: string;
  readonly provider: string;
  readonly operation: string;
  /** Key name the call was for, when there is one. */
  readonly key?: string;
  /** True for throttling, 5xx and network errors that a retry may cure. */
  readonly retryable: boolean;
  readonly statusCode?: number;
  readonly serviceCode?: string;
  readonly requestId?: string;
  readonly cause?: unknown;
}

/** A provider call failed. */
export class ProviderError extends KeyplanError {
  readonly provider: string;
  readonly operation: string;
  readonly key?: string;
  readonly retryable: boolean;
  readonly statusCode?: number;
  readonly serviceCode?: string;
  readonly requestId?: string;

  constructor(message: string, o: ProviderErrorOptions) {
    super(message, { code: o.code ?? PROVIDER_CODES.callFailed, source: 'provider', cause: o.cause });
    this.provider = o.provider;
    this.operation = o.operation;
    this.key = o.key;
    this.retryable = o.retryable;
    this.statusCode = o.statusCode;
    this.serviceCode = o.serviceCode;
    this.requestId = o.requestId;
  }
}

/**
 * A list call found that the owner of the scope it reads does not exist at the provider
 * (e.g. the cluster a key is declared on): the config names it wrongly. Refresh turns it
 * into a ConfigError pointing at `ownerField` of every declared key with that owner.
 */
export class OwnerNotFoundError extends ProviderError {
  /** The declared attribute naming the owner, e.g. `cluster`. */
  readonly ownerField: string;
  /** The owner as the config names it. */
  readonly owner: string;
  /** Kind of the keys listed by that owner. */
  readonly kind: string;

  constructor(message: string, o: ProviderErrorOptions & { readonly ownerField: string; readonly owner: string; readonly kind: string }) {
    super(message, { ...o, retryable: false });
    this.ownerField = o.ownerField;
    this.owner = o.owner;
    this.kind = o.kind;
  }
}

/** The state is locked by another run. `code` is STATE_CODES.locked (state/ sits above errors/). */
export class StateLockError extends KeyplanError {
  readonly lockId: string;

  constructor(message: string, lockId: string, code: string) {
    super(message, { code, source: 'user' });
    this.lockId = lockId;
  }
}

/** A bug in keyplan or an adapter; the CLI adds an "open an issue" hint. */
export class InternalError extends KeyplanError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: INTERNAL_CODES.bug, source: 'internal', cause });
  }
}
