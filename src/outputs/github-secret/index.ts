/**
 * src/outputs/github-secret: the `github_secret` output (module.ts) and what it is made
 * of: keys.yaml fields (schema.ts), settings and wording (settings.ts), the GitHub REST
 * calls (client.ts), the sealed box (seal.ts) and the write (write.ts, loaded lazily).
 */
export { GITHUB_SANDBOX_KNOBS, githubSecretOutput } from './module.js';
export { GITHUB_API_URL } from './settings.js';
