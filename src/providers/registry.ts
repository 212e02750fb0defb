/**
 * Maps a provider block's `type` to a factory of its adapter. Adapters are imported
 * lazily, so commands that need no provider (validate, --help) never load an SDK.
 * Tests inject their own map.
 */
import type { AdapterFactory } from './contract.js';

/** Provider type → adapter factory. */
export type AdapterRegistry = Readonly<Record<string, AdapterFactory>>;

/** The adapters keyplan ships. */
export const defaultRegistry: AdapterRegistry = {
  oci: async () => {
    const { createOciAdapter } = await import('./oci/index.js');
    return createOciAdapter();
  },
  dataos: async () => {
    const { createDataosAdapter } = await import('./dataos/index.js');
    return createDataosAdapter();
  },
  outscale: async () => {
    const { createOutscaleAdapter } = await import('./outscale/index.js');
    return createOutscaleAdapter();
  },
};
