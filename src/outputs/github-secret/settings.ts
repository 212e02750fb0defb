/**
 * A `github_secret` output's settings as the write uses them, read from a schema-valid
 * entry: where the secret lives (its API path and its words for messages), which value it
 * holds, the token variable and the API root. Cheap to import: no HTTP, no libsodium.
 */
import type { OutputSpec } from '../../model/desired.js';

/** GitHub's REST API root, when `api_url` is left out. */
export const GITHUB_API_URL = 'https://api.github.com';

/** The material value stored when `field` is left out. */
export const DEFAULT_FIELD = 'file';

/** Where a secret lives. */
export type SecretPlace =
  | { readonly kind: 'repository'; readonly repository: string }
  | { readonly kind: 'environment'; readonly repository: string; readonly environment: string }
  | { readonly kind: 'organization'; readonly organization: string; readonly visibility: 'all' | 'private' | 'selected' };

/** A `github_secret` output's settings. */
export interface GithubSecretSettings {
  readonly place: SecretPlace;
  /** The secret's name as written. */
  readonly name: string;
  readonly field: string;
  /** The variable holding the token; optional with `api_url: sandbox`. */
  readonly tokenEnv: string | undefined;
  /** `sandbox`, or an API root without a trailing slash. */
  readonly apiUrl: string;
}

const text = (spec: OutputSpec, field: string): string | undefined => (typeof spec[field] === 'string' ? spec[field] : undefined);

/** Reads a schema-valid entry; fields the schema makes required fall back to '' (never reached). */
export function githubSecretSettings(spec: OutputSpec): GithubSecretSettings {
  const organization = text(spec, 'organization');
  const repository = text(spec, 'repository') ?? '';
  const environment = text(spec, 'environment');
  const visibility = text(spec, 'visibility');
  const place: SecretPlace =
    organization !== undefined
      ? { kind: 'organization', organization, visibility: visibility === 'all' || visibility === 'selected' ? visibility : 'private' }
      : environment !== undefined
        ? { kind: 'environment', repository, environment }
        : { kind: 'repository', repository };
  return {
    place,
    name: text(spec, 'name') ?? '',
    field: text(spec, 'field') ?? DEFAULT_FIELD,
    tokenEnv: text(spec, 'token_env'),
    apiUrl: (text(spec, 'api_url') ?? GITHUB_API_URL).replace(/\/+$/, ''),
  };
}

/** The path of the place's secrets under the API root, e.g. `/repos/octo/app/actions/secrets`. */
export function secretsPath(place: SecretPlace): string {
  const repo = (full: string): string => full.split('/').map(encodeURIComponent).join('/');
  switch (place.kind) {
    case 'repository':
      return `/repos/${repo(place.repository)}/actions/secrets`;
    case 'environment':
      return `/repos/${repo(place.repository)}/environments/${encodeURIComponent(place.environment)}/secrets`;
    case 'organization':
      return `/orgs/${encodeURIComponent(place.organization)}/actions/secrets`;
  }
}

/** The place in words: `repository octo/app`, `environment production of repository octo/app`, `organization octo`. */
export function placeWords(place: SecretPlace): string {
  switch (place.kind) {
    case 'repository':
      return `repository ${place.repository}`;
    case 'environment':
      return `environment ${place.environment} of repository ${place.repository}`;
    case 'organization':
      return `organization ${place.organization}`;
  }
}

/** OutputModule.describe: `octo/app CI_TOKEN`, `octo/app environment production CI_TOKEN`, `organization octo CI_TOKEN`. */
export function describeGithubSecret(spec: OutputSpec): string {
  const { place, name } = githubSecretSettings(spec);
  switch (place.kind) {
    case 'repository':
      return `${place.repository} ${name}`;
    case 'environment':
      return `${place.repository} environment ${place.environment} ${name}`;
    case 'organization':
      return `organization ${place.organization} ${name}`;
  }
}

/**
 * OutputModule.destination: one string per GitHub secret, so validate refuses two outputs
 * writing the same one. GitHub compares owner, repository, environment and secret names
 * case-insensitively, and so does this.
 */
export function githubSecretDestination(spec: OutputSpec): string {
  const { apiUrl, place, name } = githubSecretSettings(spec);
  return `${apiUrl}${secretsPath(place).toLowerCase()}/${name.toUpperCase()}`;
}
