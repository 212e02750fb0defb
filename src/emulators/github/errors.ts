/**
 * Error answers as GitHub's REST API sends them: `{message, documentation_url, status}`,
 * with `status` as a string ("404"), plus `errors` on some 422s. The messages are the
 * ones GitHub answers ("Bad credentials", "Not Found", "Requires authentication"); the
 * documentation link names the operation, as GitHub's does.
 */

/** Where GitHub's error bodies point for an operation of the Actions secrets API. */
export const DOCS_BASE = 'https://docs.github.com/rest/actions/secrets';

/** The link of 401s, which GitHub answers before it knows the operation. */
const GENERIC_DOCS = 'https://docs.github.com/rest';

/** One error answer: the status, the body sent, and a detail kept for the request log only. */
export class GithubHttpError extends Error {
  readonly status: number;
  readonly documentationUrl: string;
  /** The `errors` array of a validation failure, when there is one. */
  readonly errors: readonly Readonly<Record<string, string>>[] | undefined;
  /** Why the emulator refused; logged, never sent. */
  readonly detail: string | undefined;

  constructor(status: number, message: string, options: { docs?: string; detail?: string; errors?: readonly Readonly<Record<string, string>>[] } = {}) {
    super(message);
    this.name = 'GithubHttpError';
    this.status = status;
    this.documentationUrl = options.docs ?? GENERIC_DOCS;
    this.errors = options.errors;
    this.detail = options.detail;
  }

  /** The response body. */
  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors === undefined ? {} : { errors: this.errors }),
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

/** 401 without an Authorization header. */
export function requiresAuthentication(): GithubHttpError {
  return new GithubHttpError(401, 'Requires authentication', { detail: 'no Authorization header' });
}

/** 401 for a token GitHub does not know (one message for every reason: no oracle). */
export function badCredentials(detail: string): GithubHttpError {
  return new GithubHttpError(401, 'Bad credentials', { detail });
}

/** 404: the repository, environment, organization or secret does not exist, or the token may not see it. */
export function notFound(docs: string, detail: string): GithubHttpError {
  return new GithubHttpError(404, 'Not Found', { docs, detail });
}

/** The 422 of a value that does not open with the scope's key (GitHub's own words). */
export function improperlyEncrypted(docs: string, detail: string): GithubHttpError {
  return new GithubHttpError(422, 'Bad request - validation failed due to an improperly encrypted secret', { docs, detail });
}

/** The 422 of a request body that breaks the operation's JSON schema ("Invalid request.\n\n…"). */
export function invalidRequest(docs: string, problem: string): GithubHttpError {
  return new GithubHttpError(422, `Invalid request.\n\n${problem}`, { docs, detail: problem });
}

/** The body GitHub sends with a status the tests inject, by status. */
export function injectedStatus(status: number, docs: string, forbiddenMessage: string): GithubHttpError {
  const message =
    status === 401
      ? 'Bad credentials'
      : status === 403
        ? forbiddenMessage
        : status === 404
          ? 'Not Found'
          : status === 422
            ? 'Validation Failed'
            : status >= 500
              ? 'Server Error'
              : 'Bad Request';
  return new GithubHttpError(status, message, { docs, detail: 'injected failure of the next PUTs' });
}

/** What a random fault answers, by its draw in [0, 1): 500 or 503 in equal shares [guess: GitHub's 5xx bodies vary]. */
export function injectedFault(draw: number): GithubHttpError {
  return draw < 0.5
    ? new GithubHttpError(500, 'Server Error', { detail: 'injected fault' })
    : new GithubHttpError(503, 'Service Unavailable', { detail: 'injected fault' });
}
