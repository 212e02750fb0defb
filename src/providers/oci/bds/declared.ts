/** A declared oci.bds_api_key's attributes, read once and typed (config/kind-oci-bds-api-key.ts writes them). */
import { InternalError } from '../../../errors/errors.js';
import type { DesiredKey } from '../../../model/desired.js';

/** What a create needs from the declaration. */
export interface DeclaredBdsKey {
  readonly cluster: string;
  readonly alias: string;
  readonly user: string;
  readonly defaultRegion?: string;
  /** Present when the key declares `test_connection`. */
  readonly test?: { readonly uri: string; readonly region?: string };
}

/** Reads the declaration; a missing required attribute is a bug of the config layer. */
export function declaredBdsKey(key: DesiredKey): DeclaredBdsKey {
  const str = (name: string): string | undefined => {
    const v = key.attributes[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const need = (name: string): string => {
    const v = str(name);
    if (v === undefined) throw new InternalError(`Expected key "${key.name}" of kind oci.bds_api_key to have attribute \`${name}\`, got none`);
    return v;
  };
  const defaultRegion = str('default_region');
  const uri = str('test_connection_uri');
  const testRegion = str('test_connection_region');
  return {
    cluster: key.owner,
    alias: need('alias'),
    user: need('user'),
    ...(defaultRegion === undefined ? {} : { defaultRegion }),
    ...(uri === undefined ? {} : { test: { uri, ...(testRegion === undefined ? {} : { region: testRegion }) } }),
  };
}
