/**
 * Reading a key entry's kind-specific fields in a kind's `map`, after the schema checked
 * them. A wrong type here means the schema fragment and the mapper disagree, which is a
 * bug, not a user error.
 */
import { InternalError } from '../../errors/errors.js';
import type { KindEntry } from '../module.js';

/** A string field the schema requires. */
export function entryString(entry: KindEntry, field: string): string {
  const value = entry[field];
  if (typeof value !== 'string') {
    throw new InternalError(`Expected \`${field}\` of key "${entry.name}" to be a string after schema validation, got ${typeof value}`);
  }
  return value;
}

/** An optional string field; undefined when left out. */
export function optionalEntryString(entry: KindEntry, field: string): string | undefined {
  return entry[field] === undefined ? undefined : entryString(entry, field);
}

/** An optional number field with a default. */
export function entryNumber(entry: KindEntry, field: string, fallback: number): number {
  const value = entry[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new InternalError(`Expected \`${field}\` of key "${entry.name}" to be a number after schema validation, got ${typeof value}`);
  }
  return value;
}
