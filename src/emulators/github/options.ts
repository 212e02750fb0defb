/**
 * Options of the GitHub Actions secrets emulator and their defaults. The REST reference
 * documents the routes, bodies and status codes; what it leaves open (the words of some
 * 422s, what a stale `key_id` gets, which 403 message a token type sees, which API
 * versions are served) is an option marked [guess], so whoever learns the real answer
 * switches it without touching the handlers.
 */
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from '../shared/index.js';

/** An injected answer for the next PUTs, whatever they hold. */
export interface PutFailure {
  /** HTTP status answered, 4xx or 5xx. */
  readonly status: number;
  /** How many PUTs get it. */
  readonly count: number;
}

/**
 * How to start the emulator: the server options every emulator takes (port 0 picks a free
 * one; `dataDir` persists the store with mode 0600, none keeps it in memory; `latencyMs`;
 * `failRate`, the fraction of requests answered 500 or 503; `seed` for deterministic faults),
 * and its own.
 */
export interface GithubEmulatorOptions extends ServerOptions {
  /** The emulator's clock (secrets' created_at, updated_at), epoch ms. @default Date.now */
  now?: () => number;
  /**
   * A repository, environment or organization a token is granted exists on first use
   * (the sandbox does: any `repository:` in keys.yaml works). @default false
   */
  autoCreate?: boolean;
  /** Answer the next PUTs with this status (also settable later with `failNextPuts`). */
  failPuts?: PutFailure;
  /**
   * [guess] The 403 message. GitHub Apps and `GITHUB_TOKEN` see "Resource not accessible
   * by integration"; fine-grained personal access tokens see "... by personal access token".
   * @default 'Resource not accessible by integration'
   */
  forbiddenMessage?: string;
  /**
   * [guess] The 422 message for a name outside GitHub's rules (the terraform provider's
   * issues quote it). @default 'Failed to add secret. Name is invalid'
   */
  invalidNameMessage?: string;
  /**
   * [guess] Whether a PUT whose `key_id` is not the current key's is refused with the
   * improperly-encrypted 422 (true) or accepted when the value still decrypts (false).
   * @default true
   */
  rejectStaleKeyId?: boolean;
  /**
   * [guess] `X-GitHub-Api-Version` values served; any other is answered 400. A request
   * without the header gets the oldest. @default ['2022-11-28', '2026-03-10']
   */
  apiVersions?: readonly string[];
}

/** Options with every default filled in. */
export interface ResolvedGithubOptions extends ResolvedServerOptions {
  readonly now: () => number;
  readonly autoCreate: boolean;
  readonly failPuts: PutFailure | undefined;
  readonly forbiddenMessage: string;
  readonly invalidNameMessage: string;
  readonly rejectStaleKeyId: boolean;
  readonly apiVersions: readonly string[];
}

/** Checks an injected failure (a programmer error when it makes no sense). */
export function checkPutFailure(failure: PutFailure): PutFailure {
  if (!Number.isInteger(failure.status) || failure.status < 400 || failure.status > 599) {
    throw new TypeError(`Expected \`failPuts.status\` to be 4xx or 5xx, got \`${failure.status}\``);
  }
  if (!Number.isInteger(failure.count) || failure.count < 0)
    throw new TypeError(`Expected \`failPuts.count\` to be a whole number >= 0, got \`${failure.count}\``);
  return failure;
}

/** Fills in defaults and rejects values that make no sense (programmer errors). */
export function resolveGithubOptions(options: GithubEmulatorOptions = {}): ResolvedGithubOptions {
  const apiVersions = options.apiVersions ?? ['2022-11-28', '2026-03-10'];
  if (apiVersions.length === 0) throw new TypeError('Expected `apiVersions` to name at least one version, got `[]`');
  return {
    ...resolveServerOptions(options),
    now: options.now ?? Date.now,
    autoCreate: options.autoCreate ?? false,
    failPuts: options.failPuts === undefined ? undefined : checkPutFailure(options.failPuts),
    forbiddenMessage: options.forbiddenMessage ?? 'Resource not accessible by integration',
    invalidNameMessage: options.invalidNameMessage ?? 'Failed to add secret. Name is invalid',
    rejectStaleKeyId: options.rejectStaleKeyId ?? true,
    apiVersions,
  };
}
