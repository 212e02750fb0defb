/**
 * The output types a kind's keys may use: the core ones (outputs/core.ts: files, env
 * files, `exec`, secret stores), which take any kind's material, plus the given types of
 * the kind's own provider (its CLI's config-file profile). Deriving the list from the
 * core outputs means a new core output is usable by every kind without touching them.
 */
import { CORE_OUTPUTS } from '../../outputs/core.js';
import type { JsonSchema } from '../module.js';

/** The schema of `outputs[i].type` for a kind: `description`, the enum, and a message naming the kind (`an acme.api_key`). */
export function kindOutputTypeSchema(kindPhrase: string, own: readonly string[], description: string): JsonSchema {
  const types = [...CORE_OUTPUTS.map((o) => o.type), ...own];
  const listed = types.length === 1 ? types[0] : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
  return { title: 'Output type', description, enum: types, errorMessage: `must be ${listed} for ${kindPhrase}` };
}
