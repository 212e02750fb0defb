/**
 * Error answers of the Vault emulator. Vault answers every error with `{"errors": [...]}`:
 * one message per problem, and an empty list for a plain 404 (a path with no secret).
 * The wording below is Vault's own where its documentation or CLI output shows it.
 */

/** An error answer: HTTP status, the messages sent, and a detail kept for the request log only. */
export class VaultHttpError extends Error {
  readonly status: number;
  readonly errors: readonly string[];
  /** Why the emulator refused; logged, never sent. */
  readonly detail: string | undefined;
  /** Envelope `data` sent with the error (a deleted version's metadata on 404), if any. */
  readonly data: unknown;

  constructor(status: number, errors: readonly string[], detail?: string, data?: unknown) {
    super(errors.join('; ') || `status ${status}`);
    this.name = 'VaultHttpError';
    this.status = status;
    this.errors = errors;
    this.detail = detail;
    this.data = data;
  }
}

/** The check-and-set refusal, word for word (a 400). */
export const CAS_MISMATCH = 'check-and-set parameter did not match the current version';
/** A write without `cas` where the mount or the secret requires one (a 400). */
export const CAS_REQUIRED = 'check-and-set parameter required for this call';
/** Vault's one answer to a missing, unknown or insufficient token: no oracle for which. */
export const PERMISSION_DENIED = 'permission denied';
/** The answer of a sealed Vault (503). */
export const SEALED = 'Vault is sealed';

/** 403 `permission denied`. */
export function permissionDenied(detail: string): VaultHttpError {
  return new VaultHttpError(403, [PERMISSION_DENIED], detail);
}

/** 404 with no messages: nothing lives at the path. */
export function notFound(detail: string): VaultHttpError {
  return new VaultHttpError(404, [], detail);
}

/** 400 with one message. */
export function badRequest(message: string): VaultHttpError {
  return new VaultHttpError(400, [message]);
}

/** 405 for a method the path does not serve. */
export function unsupportedOperation(): VaultHttpError {
  return new VaultHttpError(405, ['1 error occurred:\n\t* unsupported operation\n\n']);
}

/** [guess] The message of an injected status: what Vault says with that status where it is known. */
export function injectedStatus(status: number): VaultHttpError {
  const messages: Readonly<Record<number, string>> = {
    403: PERMISSION_DENIED,
    412: 'required index state not present',
    429: 'request path "injected": rate limit quota exceeded',
    500: 'internal error',
    503: SEALED,
  };
  return new VaultHttpError(status, [messages[status] ?? `injected status ${status}`], 'injected fault');
}

/** What a random fault answers, by its draw in [0, 1): 429 or 500 in equal shares. */
export function injectedFault(draw: number): VaultHttpError {
  return injectedStatus(draw < 0.5 ? 429 : 500);
}
