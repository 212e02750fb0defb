/**
 * Lenient readers for the parsed config before (or despite) schema validation. The
 * semantic checks run even when the schema found problems, so every problem of a file is
 * reported at once; they read values through these helpers and skip what has the wrong shape.
 */

/** The value as a mapping, or undefined when it is anything else. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Readonly<Record<string, unknown>>) : undefined;
}

/** The value as a list, or undefined. */
export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The value as a string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
