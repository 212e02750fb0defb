/**
 * The `outscale` provider module: 3DS OUTSCALE access keys over OAPI, the `osc_config`
 * output, offline checks, and the OAPI emulator for the sandbox. Cheap to import: the
 * adapter and the emulator load on first use.
 */
import type { ProviderModule } from '../module.js';
import { settingsDiagnostics } from '../shared/settings-problems.js';
import { accessKeyKind } from './kind.js';
import { oscConfigOutput } from './outputs/module.js';
import { outscaleBlockSchema } from './schema.js';
import { parseOutscaleSettings } from './settings.js';
import { OSC_CODES } from './codes.js';

/** OUTSCALE: access keys of EIM users or of the caller. */
export const outscaleProvider: ProviderModule = {
  type: 'outscale',
  displayName: 'OUTSCALE',
  blockSchema: outscaleBlockSchema,
  envSettings: { login_env: 'the login', password_env: 'the password' },
  kinds: [accessKeyKind],
  outputs: [oscConfigOutput],
  validate: (req) => settingsDiagnostics(req.block.name, parseOutscaleSettings(req.block).problems, OSC_CODES.settings),
  limits: (block) => parseOutscaleSettings(block).settings.limits,
  createAdapter: async () => {
    const { createOutscaleAdapter } = await import('./adapter.js');
    return createOutscaleAdapter();
  },
  startSandbox: async (options) => {
    const { startOutscaleEmulator } = await import('../../emulators/outscale/index.js');
    const { newKeyAuthFromExtra } = await import('../../emulators/shared/index.js');
    const emulator = await startOutscaleEmulator({ ...options, ...newKeyAuthFromExtra(options.extra), autoCreateUsers: true });
    const { accessKey, secretKey, region } = emulator.account;
    return {
      endpoint: { url: emulator.url, credentials: { access_key: accessKey, secret_key: secretKey, region } },
      close: () => emulator.close(),
    };
  },
};
