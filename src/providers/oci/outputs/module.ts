/** The `oci_config` output type: a profile in an OCI config file pointing at the key's PEM. */
import { InternalError } from '../../../errors/errors.js';
import { absPathOf, describePath } from '../../../outputs/file-based.js';
import { OUTPUT_ORDER } from '../../../outputs/order.js';
import { writeFileUndoably } from '../../../outputs/rollback.js';
import type { OutputModule } from '../../module.js';
import { writeOciConfigOutput, type OciConfigSpec } from './oci-config.js';
import { ociConfigOutputSchema } from '../schema.js';

/** `oci_config`: merges the key's profile (user, fingerprint, tenancy, region, key_file) into an OCI config file. */
export const ociConfigOutput: OutputModule = {
  type: 'oci_config',
  summary: "`oci_config`: merges a profile into an OCI config file (its key_file is the key's `file` output).",
  schema: ociConfigOutputSchema,
  // After the PEM file its key_file points at.
  order: OUTPUT_ORDER.profile,
  sharedByProfile: true,
  writesFileAtPath: true,
  describe: describePath,
  needsFileOutput: "for the profile's key_file to point at",
  write: async (spec, material, ctx) => {
    if (typeof spec['profile'] !== 'string' || ctx.keyFile === undefined) {
      throw new InternalError('Expected an oci_config output to have a profile and a file output after validation');
    }
    const absPath = absPathOf(spec, ctx);
    const keyFile = ctx.keyFile;
    return writeFileUndoably(absPath, () => writeOciConfigOutput(spec as OciConfigSpec, { absPath, keyFile, keyName: ctx.keyName }, material));
  },
};
