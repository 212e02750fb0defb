/** The context writeOutputs gets from step-create, for tests that write outputs directly. */
import type { OutputContext } from '../../src/outputs/index.js';
import { defaultRegistry } from '../../src/providers/registry.js';

/** A context for key `keyName` whose outputs resolve against `baseDir`; `overrides` replace any field. */
export function outputContext(baseDir: string, keyName: string, overrides: Partial<OutputContext> = {}): OutputContext {
  return {
    baseDir,
    keyName,
    kind: 'test.api_key',
    owner: 'owner-1',
    liveId: 'live-1',
    types: defaultRegistry.outputs,
    env: {},
    ...overrides,
  };
}
