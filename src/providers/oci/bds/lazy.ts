/**
 * The BDS half of an oci provider block, built on first use: configs with IAM keys only
 * never load `oci-bds` (about 2 MB of SDK) on the CLI's start-up path.
 */
import type { BdsApiKeys } from './adapter.js';
import type { BdsClientSettings } from './index.js';

export { BDS_API_KEY_KIND } from './bds-key.js';
export type { BdsOptions } from './adapter.js';

/** A BdsApiKeys made when first asked for, closed with the block's adapter. */
export interface LazyBdsApiKeys {
  get(): Promise<BdsApiKeys>;
  close(): Promise<void>;
}

/** Defers `createBdsApiKeys(settings)` (and the SDK import) to the first `get()`. */
export function lazyBdsApiKeys(settings: BdsClientSettings): LazyBdsApiKeys {
  let made: Promise<BdsApiKeys> | undefined;
  return {
    get() {
      made ??= import('./index.js').then(({ createBdsApiKeys }) => createBdsApiKeys(settings));
      return made;
    },
    async close() {
      const pending = made;
      made = undefined;
      (await pending?.catch(() => undefined))?.close();
    },
  };
}
