/** Shared helpers of the config tests: run the checks on inline YAML and format the result. */
import { formatDiagnostic } from '../../src/errors/diagnostic.js';
import { checkConfigText, type CheckOptions } from '../../src/config/load.js';

/** Environment in which every variable the fixtures reference is set. */
export const FULL_ENV: Readonly<Record<string, string>> = {
  CI_PASS: 'ci-pass-value',
  OPS_PASS: 'ops-pass-value',
  // Credential variables the provider-block tests name.
  L: 'login-value',
  P: 'password-value',
  T: 'token-value',
  DATAOS_APIKEY: 'dataos-token-value',
};

/** Formatted diagnostics (`keys.yaml:L:C: path: message`) of a config text, sorted. */
export function problems(text: string, options: Partial<CheckOptions> = {}): string[] {
  const result = checkConfigText(text, 'keys.yaml', '/repo', { env: FULL_ENV, checkEnv: true, ...options });
  return result.diagnostics.map(formatDiagnostic);
}

/** Joins lines into a YAML document with a trailing newline (keeps line numbers obvious). */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** The header most fixtures share: 4 lines, so the first key entry is on line 5. */
export const HEADER = ['version: 1', 'providers:', '  oci: { type: oci, endpoint: sandbox }', 'keys:'];

/** A valid oci.api_key entry named `name` (5 lines before `extra`; a `file` output line after them unless `extra` has outputs). */
export function ociKey(name: string, ...extra: string[]): string[] {
  return [
    `  - name: ${name}`,
    '    kind: oci.api_key',
    '    provider: oci',
    '    user: ocid1.user.oc1..alice',
    '    passphrase: { env: CI_PASS }',
    ...extra,
    // A secret-returning kind needs an output; fixtures that declare their own keep them.
    ...(extra.some((line) => line.trimStart().startsWith('outputs:')) ? [] : [`    outputs: [{ type: file, path: out/${name}.pem }]`]),
  ];
}
