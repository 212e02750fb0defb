/** apply's pre-check of the token variables that the outputs of keys about to be created read. */
import { describe, expect, it } from 'vitest';
import type { KeyplanConfig } from '../model/desired.js';
import type { Plan, PlannedChange } from '../model/plan.js';
import type { OutputModule } from '../providers/module.js';
import { desired } from '../../test/helpers/plan-fixtures.js';
import { missingOutputVariables } from './output-env-check.js';

const store: OutputModule = {
  type: 'store',
  summary: 'store',
  schema: {},
  order: 4,
  describe: () => 'store',
  write: async () => undefined,
  envSettings: (spec) => (spec['address'] === 'sandbox' ? [] : [{ field: 'token_env', holds: 'the store token' }]),
};
const outputs = new Map([['store', store]]);

const config = {
  keys: [
    desired('a', { outputs: [{ type: 'store', token_env: 'TOKEN_A' }] }),
    desired('b', { outputs: [{ type: 'store', token_env: 'TOKEN_B' }] }),
    desired('c', { outputs: [{ type: 'store', token_env: 'TOKEN_C', address: 'sandbox' }] }),
    desired('d', { outputs: [{ type: 'store', token_env: 'TOKEN_A' }] }),
  ],
} as Pick<KeyplanConfig, 'keys'> as KeyplanConfig;

const planOf = (...changes: [string, PlannedChange['action']][]): Plan => ({ changes: changes.map(([name, action]) => ({ name, action })) }) as unknown as Plan;

describe('missingOutputVariables', () => {
  it('lists the unset or empty token variables of keys the plan creates or rotates, sorted and once', () => {
    const plan = planOf(['d', 'rotate'], ['a', 'create'], ['b', 'update'], ['c', 'create']);
    expect(missingOutputVariables(plan, config, outputs, { TOKEN_B: '' })).toEqual(['TOKEN_A']);
    expect(missingOutputVariables(planOf(['b', 'create']), config, outputs, { TOKEN_B: '' })).toEqual(['TOKEN_B']);
    expect(missingOutputVariables(plan, config, outputs, { TOKEN_A: 'set' })).toEqual([]);
  });
});
