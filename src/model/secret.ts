/**
 * Secret material (private keys, passphrases, tokens) travels through keyplan wrapped in
 * `Secret`, so that an accidental `String(x)`, template literal, `JSON.stringify` or
 * `util.inspect` prints a redaction marker instead of the value. Only the code that
 * must hand the value to a provider or an output calls `reveal()`.
 */
import { inspect } from 'node:util';

/** What every redacted value prints as, in logs, errors and renderers alike. */
export const REDACTED = '(sensitive value)';

/** An opaque holder of one secret string. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Call only where it is handed to a provider, a cipher or an output. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
