/**
 * The shape of keys.yaml once ajv has validated it against schemas/keys.schema.json
 * (snake_case, as the user writes it). The resolver turns it into the model's
 * KeyplanConfig. Kind-specific fields stay `unknown` here: each kind's mapper reads its own.
 */
import type { OutputSpec } from '../model/desired.js';

/** `rotation:` in defaults or on a key. */
export interface RotationEntry {
  readonly max_age?: string;
  readonly overlap?: string;
  readonly before_expiry?: string;
  readonly require_overlap?: boolean;
  readonly deactivate_for?: string;
  readonly verify?: boolean;
  readonly verify_timeout?: string;
}

/** `passphrase:` — an env variable name, or explicitly none. */
export type PassphraseEntry = { readonly env: string } | 'none';

/** `state:`. */
export type StateEntry =
  | { readonly backend: 'local'; readonly path?: string }
  | { readonly backend: 'postgres'; readonly url_env: string; readonly name?: string; readonly ca_file?: string };

/** One `providers.<name>` block; fields beyond `type` depend on the type. */
export interface ProviderEntry {
  readonly type: string;
  readonly [setting: string]: unknown;
}

/** One entry of `keys:`; fields beyond the common ones depend on `kind`. */
export interface KeyEntry {
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly depends_on?: readonly string[];
  readonly rotation?: RotationEntry;
  readonly passphrase?: PassphraseEntry;
  // Output entries are written exactly as the model's OutputSpec, so it is reused.
  readonly outputs?: readonly OutputSpec[];
  readonly [field: string]: unknown;
}

/** The whole validated file. */
export interface KeysFile {
  readonly version: 1;
  readonly state?: StateEntry;
  readonly providers?: Readonly<Record<string, ProviderEntry>>;
  readonly defaults?: { readonly rotation?: RotationEntry };
  readonly keys?: readonly KeyEntry[];
}
