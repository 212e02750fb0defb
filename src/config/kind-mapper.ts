/**
 * The contract each key kind implements to turn its validated keys.yaml entry into the
 * model's owner and attributes. One small file per kind; `kinds.ts` lists them.
 */
import type { Attributes } from '../model/desired.js';
import { InternalError } from '../errors/errors.js';
import type { KeyEntry } from './types.js';

/** What a kind contributes to its DesiredKey. */
export interface KindMapping {
  /** Quota and listing scope inside the provider (oci.api_key: the user OCID). */
  readonly owner: string;
  /** Declared, non-secret attributes, with defaults filled in. */
  readonly attributes: Attributes;
}

/** Maps one kind's schema-validated entries. */
export interface KindMapper {
  readonly kind: string;
  map(entry: KeyEntry): KindMapping;
}

/**
 * Reads a kind field the schema guarantees. A wrong type here means the schema and the
 * mapper disagree, which is a bug, not a user error.
 */
export function schemaString(entry: KeyEntry, field: string): string {
  const value = entry[field];
  if (typeof value !== 'string') {
    throw new InternalError(`Expected \`${field}\` of key "${entry.name}" to be a string after schema validation, got ${typeof value}`);
  }
  return value;
}

/** Like `schemaString`, for an optional number with a default. */
export function schemaNumber(entry: KeyEntry, field: string, fallback: number): number {
  const value = entry[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new InternalError(`Expected \`${field}\` of key "${entry.name}" to be a number after schema validation, got ${typeof value}`);
  }
  return value;
}
