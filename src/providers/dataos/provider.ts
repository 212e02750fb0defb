/**
 * The `dataos` provider module: DataOS API keys through Heimdall, and the Heimdall emulator
 * for the sandbox. Cheap to import: the adapter and the emulator load on first use.
 */
import type { ProviderModule } from '../module.js';
import { settingsDiagnostics } from '../shared/settings-problems.js';
import { dataosApiKeyKind } from './kind.js';
import { dataosBlockSchema } from './schema.js';
import { DATAOS_CODES } from './errors.js';
import { parseDataosSettings } from './settings.js';

/** DataOS: API key tokens of DataOS users. */
export const dataosProvider: ProviderModule = {
  type: 'dataos',
  displayName: 'DataOS',
  blockSchema: dataosBlockSchema,
  blockDefaults: { auth_header: 'apikey' },
  envSettings: { token_env: 'the API token' },
  kinds: [dataosApiKeyKind],
  validate: (req) => settingsDiagnostics(req.block.name, parseDataosSettings(req.block).problems, DATAOS_CODES.settings),
  limits: (block) => parseDataosSettings(block).settings.limits,
  createAdapter: async () => {
    const { createDataosAdapter } = await import('./adapter.js');
    return createDataosAdapter();
  },
  startSandbox: async (options) => {
    const { startDataosEmulator } = await import('../../emulators/dataos/index.js');
    const { newKeyAuthFromExtra } = await import('../../emulators/shared/index.js');
    // Holds the sandbox's tokens: the store file is written with mode 0600.
    const emulator = await startDataosEmulator({ ...options, ...newKeyAuthFromExtra(options.extra), autoCreateUsers: true });
    return {
      endpoint: { url: emulator.url, credentials: { token: emulator.bootstrap.token, user_id: emulator.bootstrap.userId } },
      close: () => emulator.close(),
    };
  },
};
