/**
 * The providers keyplan ships, and the lookups every layer uses to reach what a provider
 * contributes: its kinds (metadata, schema, mapper), its output types, its adapter factory
 * and its sandbox emulator. This file holds the only list of vendors outside their own
 * folders; adding a provider is one line in `SHIPPED_PROVIDERS` (see README.md here).
 * Tests build their own registry, e.g. with the in-memory fake provider.
 */
import { InternalError } from '../errors/errors.js';
import { CORE_OUTPUTS } from '../outputs/core.js';
import type { KindSpec } from './contract.js';
import type { KindModule, OutputModule, ProviderModule } from './module.js';
import { dataosProvider } from './dataos/provider.js';
import { ociProvider } from './oci/provider.js';
import { outscaleProvider } from './outscale/provider.js';

/** The providers keyplan ships, in the order the schema and the sandbox list them. */
export const SHIPPED_PROVIDERS: readonly ProviderModule[] = [ociProvider, outscaleProvider, dataosProvider];

/** A set of provider modules, indexed. */
export class ProviderRegistry {
  readonly providers: readonly ProviderModule[];
  /** Every kind, in provider order. */
  readonly kindModules: readonly KindModule[];
  /** Kind metadata by kind name (what the planner reads). */
  readonly kinds: Readonly<Record<string, KindSpec>>;
  /** Every output type: the core ones, then each provider's. */
  readonly outputs: ReadonlyMap<string, OutputModule>;
  readonly #byType = new Map<string, ProviderModule>();
  readonly #kindByName = new Map<string, KindModule>();

  constructor(providers: readonly ProviderModule[], coreOutputs: readonly OutputModule[] = CORE_OUTPUTS) {
    this.providers = providers;
    const outputs = new Map<string, OutputModule>();
    const add = (output: OutputModule, from: string): void => {
      if (outputs.has(output.type)) throw new InternalError(`Expected output type "${output.type}" (from ${from}) to be registered once`);
      outputs.set(output.type, output);
    };
    for (const output of coreOutputs) add(output, 'keyplan');
    for (const provider of providers) {
      if (this.#byType.has(provider.type)) throw new InternalError(`Expected provider type "${provider.type}" to be registered once`);
      this.#byType.set(provider.type, provider);
      for (const kind of provider.kinds) {
        if (kind.spec.providerType !== provider.type) {
          throw new InternalError(`Expected kind ${kind.spec.kind} to belong to provider type ${provider.type}, got ${kind.spec.providerType}`);
        }
        if (this.#kindByName.has(kind.spec.kind)) throw new InternalError(`Expected kind "${kind.spec.kind}" to be registered once`);
        this.#kindByName.set(kind.spec.kind, kind);
      }
      for (const output of provider.outputs ?? []) add(output, `provider ${provider.type}`);
    }
    this.kindModules = [...this.#kindByName.values()];
    this.kinds = Object.fromEntries(this.kindModules.map((k) => [k.spec.kind, k.spec]));
    this.outputs = outputs;
  }

  /** The provider of block type `type`, if registered. */
  provider(type: string): ProviderModule | undefined {
    return this.#byType.get(type);
  }

  /** The kind named `kind`, if registered. */
  kind(kind: string): KindModule | undefined {
    return this.#kindByName.get(kind);
  }
}

/** The registry of the providers keyplan ships. */
export const defaultRegistry = new ProviderRegistry(SHIPPED_PROVIDERS);
