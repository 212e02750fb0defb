/** The `osc_config` output type: a profile in an OUTSCALE config file (~/.osc/config.json). */
import { InternalError } from '../../../errors/errors.js';
import { absPathOf, describePath } from '../../../outputs/file-based.js';
import { OUTPUT_ORDER } from '../../../outputs/order.js';
import { writeFileUndoably } from '../../../outputs/rollback.js';
import type { OutputModule } from '../../module.js';
import { oscConfigOutputSchema } from '../schema.js';
import { writeOscConfigOutput, type OscConfigSpec } from './osc-config.js';

/** `osc_config`: adds or replaces the key's profile (access_key, secret_key, region) in an OUTSCALE config file. */
export const oscConfigOutput: OutputModule = {
  type: 'osc_config',
  summary: '`osc_config`: merges a profile into an OUTSCALE config file (~/.osc/config.json).',
  schema: oscConfigOutputSchema,
  order: OUTPUT_ORDER.profile,
  sharedByProfile: true,
  writesFileAtPath: true,
  describe: describePath,
  write: async (spec, material, ctx) => {
    if (typeof spec['profile'] !== 'string') throw new InternalError('Expected an osc_config output to have a profile after validation');
    const absPath = absPathOf(spec, ctx);
    return writeFileUndoably(absPath, () => writeOscConfigOutput(spec as OscConfigSpec, { absPath, keyName: ctx.keyName }, material));
  },
};
