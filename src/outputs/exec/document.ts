/**
 * The JSON document an `exec` output's command reads on stdin. Its shape is a public
 * contract (README, "exec output"): versioned by `keyplan_output`, which changes only when
 * a field is removed or changes meaning; fields may be added within a version.
 *
 * ```json
 * { "keyplan_output": 1,
 *   "key": { "name": "ci", "kind": "acme.api_key", "owner": "ci-bot", "live_id": "AK1234" },
 *   "values": { "access_key": "AK1234", "region": "eu-west-2" },
 *   "secrets": { "secret_key": "..." },
 *   "file": "..." }
 * ```
 */
import type { SecretMaterial } from '../../providers/contract.js';
import type { OutputWriteContext } from '../../providers/module.js';

/** The document version this keyplan writes. */
export const EXEC_DOCUMENT_VERSION = 1;

/**
 * The document for one key's new secret: its identity, the non-secret values, the secret
 * values and `file`, what a `file` output would hold (a PEM, a JSON document, a bare
 * token). Names are sorted so the text is deterministic.
 */
export function execDocument(material: SecretMaterial, ctx: Pick<OutputWriteContext, 'keyName' | 'kind' | 'owner' | 'liveId'>): string {
  const sorted = <T>(record: Readonly<Record<string, T>>): [string, T][] => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${JSON.stringify({
    keyplan_output: EXEC_DOCUMENT_VERSION,
    key: { name: ctx.keyName, kind: ctx.kind, owner: ctx.owner, live_id: ctx.liveId },
    values: Object.fromEntries(sorted(material.values)),
    secrets: Object.fromEntries(sorted(material.secrets).map(([name, secret]) => [name, secret.reveal()])),
    file: material.file.reveal(),
  })}\n`;
}
