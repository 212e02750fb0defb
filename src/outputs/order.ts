/**
 * The write order of the output types keyplan ships (OutputModule.order), lower first:
 * files first, then env files, then config-file profiles that point at the key's file,
 * then `exec`, then secret stores; `github_secret` last, since GitHub cannot give back a
 * secret's previous value, so nothing may fail after it and leave it un-restorable.
 */
export const OUTPUT_ORDER = { file: 0, envFile: 1, profile: 2, exec: 3, vaultKv: 4, githubSecret: 9 } as const;
