/**
 * Identifiers of BDS resources. Cluster OCIDs have the real shape
 * (`ocid1.bigdataservice.oc1.<region key>.<unique>`); the formats of API key and work
 * request ids are not documented, so they follow the same OCID pattern ([guess]).
 */
import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The OCID type of a BDS cluster: keys.yaml and the SDK name clusters by it. */
export const CLUSTER_OCID_PREFIX = 'ocid1.bigdataservice.';

// Region keys of the regions a sandbox is likely to name; others appear as the region id.
const REGION_KEYS: Readonly<Record<string, string>> = {
  'us-ashburn-1': 'iad',
  'us-phoenix-1': 'phx',
  'eu-frankfurt-1': 'fra',
  'uk-london-1': 'lhr',
  'eu-paris-1': 'cdg',
  'eu-amsterdam-1': 'ams',
};

/** A regional OCID of `type` in `region`. */
export function mintRegionalOcid(type: 'bigdataservice' | 'bdsapikey' | 'bdsworkrequest', region: string): string {
  let tail = '';
  for (const b of randomBytes(52)) tail += BASE32[b % 32];
  return `ocid1.${type}.oc1.${REGION_KEYS[region] ?? region}.amaaaaaa${tail}`;
}

/** True when `id` could name a BDS cluster. */
export function isClusterOcid(id: string): boolean {
  return id.startsWith(CLUSTER_OCID_PREFIX) && /^[a-z0-9.\-_]+$/i.test(id);
}
