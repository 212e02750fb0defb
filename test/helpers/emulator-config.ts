/** Points a keyplan config at an OCI emulator the test started, through an OCI config file profile. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OciEmulator } from '../../src/emulators/oci/index.js';

/** Writes the emulator admin's key and an OCI config file in `dir`; returns the provider block YAML. */
export function ociProviderFor(dir: string, emulator: OciEmulator): string {
  const admin = emulator.admin;
  writeFileSync(path.join(dir, 'admin.pem'), admin.privateKeyPem, { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'oci-config'),
    `[DEFAULT]\nuser=${admin.user}\nfingerprint=${admin.fingerprint}\ntenancy=${admin.tenancy}\nregion=${admin.region}\nkey_file=${path.join(dir, 'admin.pem')}\n`,
  );
  return `oci: { type: oci, config_file: oci-config, endpoint: "${emulator.url}", max_attempts: 1 }`;
}
