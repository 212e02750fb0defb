/**
 * `keyplan state pull` and `state push`. Pull: the stored document, once one was written. Push: whether a state document may replace the one a backend holds, and
 * what is written then. A push is refused when it would replace another state (another
 * lineage) or undo recorded changes (a serial not newer than the stored one), unless
 * forced. Whatever is written, the stored serial only ever goes up, so every run and saved
 * plan that read the state before the push finds it moved.
 */
import { KeyplanError } from '../errors/errors.js';
import type { KeyplanState } from '../model/state.js';
import { STATE_CODES } from './codes.js';
import { serializeState } from './state-document.js';

/** What the push is about. */
export interface PushRequest {
  /** The document being pushed, already parsed and validated like a read. */
  readonly pushed: KeyplanState;
  /** Where it came from, for messages (a file name, or `stdin`). */
  readonly source: string;
  /** The state the backend holds, read under the lock (serial 0: none was ever written). */
  readonly stored: KeyplanState;
  /** Names the backend's state in messages (StateStore.description). */
  readonly target: string;
  /** Replace the stored state even if it is another lineage or not older. @default false */
  readonly force?: boolean;
}

/**
 * The state to hand to `StateStore.write` (which stores it at its serial + 1), or throws
 * KP_STATE_E0021 naming both lineages or both serials. The stored serial becomes the pushed
 * one, or one above the stored one when forcing a push that is not newer. A forced push
 * of another lineage keeps the stored lineage: backends refuse to write across lineages,
 * and a history that goes on (with a higher serial) is what other runs can detect.
 */
export function stateToPush(req: PushRequest): KeyplanState {
  const { pushed, stored } = req;
  // Every write gives serial 1 or more, so serial 0 means the backend holds no state yet.
  const holdsState = stored.serial > 0;
  if (holdsState && req.force !== true) {
    if (pushed.lineage !== stored.lineage) {
      throw refused(
        `refusing to push ${req.source}: it has lineage ${pushed.lineage}, but ${req.target} has lineage ${stored.lineage}; they are different states. ` +
          `Pass --force to replace the stored state with it (the stored lineage is kept)`,
      );
    }
    if (pushed.serial <= stored.serial) {
      throw refused(
        `refusing to push ${req.source}: its serial ${pushed.serial} is not newer than serial ${stored.serial} of ${req.target}, ` +
          `so it would undo the changes recorded since. Pass --force to replace the stored state with it`,
      );
    }
  }
  const serial = Math.max(pushed.serial, stored.serial + 1);
  const lineage = holdsState ? stored.lineage : pushed.lineage;
  return { ...pushed, lineage, serial: serial - 1 };
}

function refused(message: string): KeyplanError {
  return new KeyplanError(message, { code: STATE_CODES.pushRefused, source: 'user' });
}

/**
 * `keyplan state pull`: the state document exactly as `target` stores it (it holds no
 * secrets). Throws KP_STATE_E0022 when no state was ever written.
 */
export function stateToPull(stored: KeyplanState, target: string): string {
  // Every write gives serial 1 or more; serial 0 is the empty state of a backend never written.
  if (stored.serial === 0)
    throw new KeyplanError(`there is no state in ${target} yet: no keyplan run has written one`, { code: STATE_CODES.noState, source: 'user' });
  return serializeState(stored);
}
