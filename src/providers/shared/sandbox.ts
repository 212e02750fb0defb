/**
 * The emulator the engine starts for a provider block with `endpoint: sandbox`. Its
 * absence, or a credential missing from it, is a bug in keyplan (the engine and the
 * emulator disagree), never the user's doing, so both are InternalErrors.
 */
import { InternalError } from '../../errors/errors.js';
import type { ConfigureRequest } from '../contract.js';

/** A started sandbox: its URL and a reader of its bootstrap credentials. */
export interface StartedSandbox {
  readonly url: string;
  /** The credential `key`; throws InternalError when the emulator did not hand it over. */
  readonly need: (key: string) => string;
}

/**
 * The sandbox of `req`.
 * @param label how messages name the credentials, e.g. `the sandbox credentials`
 * @throws InternalError when the engine started none
 */
export function startedSandbox(req: ConfigureRequest, label: string): StartedSandbox {
  const sandbox = req.sandbox;
  if (sandbox === undefined) {
    throw new InternalError(`Expected the engine to start a sandbox for provider "${req.block.name}" (endpoint: sandbox), got none`);
  }
  return {
    url: sandbox.url,
    need: (key: string): string => {
      const v = sandbox.credentials[key];
      if (typeof v !== 'string' || v === '') throw new InternalError(`Expected ${label} to have \`${key}\`, got none`);
      return v;
    },
  };
}
