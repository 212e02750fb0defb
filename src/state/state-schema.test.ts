import { describe, expect, it } from 'vitest';
import { STATE_SCHEMA, checkStateShape } from './state-schema.js';
import { newState, serializeState } from './state-document.js';

describe('state schema', () => {
  it('is what schemas/state.schema.json holds', async () => {
    await expect(`${JSON.stringify(STATE_SCHEMA, null, 2)}\n`).toMatchFileSnapshot('../../schemas/state.schema.json');
  });

  it('accepts a fresh state and reports record names that differ from their key', () => {
    expect(checkStateShape(JSON.parse(serializeState(newState())))).toEqual([]);
    const current = { id: 'fp', createdAt: 't', attributes: {} };
    const record = { name: 'other', kind: 'k', provider: 'p', owner: 'o', current, retiring: [] };
    const doc = { version: 1, lineage: 'l', serial: 0, keys: { ci: record }, intents: [] };
    expect(checkStateShape(doc)).toEqual(['keys.ci.name: must equal its key "ci", got "other"']);
  });

  it('accepts the rotation phase fields, which older states lack', () => {
    const current = { id: 'new', createdAt: 't', attributes: {}, verifiedAt: 't' };
    const pending = { id: 'newer', createdAt: 't', attributes: {}, unverifiedSince: 't', verifyError: '401 after 2m' };
    const retiring = [{ id: 'old', createdAt: 't', attributes: {}, retireAfter: 't', deactivatedAt: 't', deleteAfter: 't' }];
    const record = { name: 'ci', kind: 'k', provider: 'p', owner: 'o', current, pending, retiring };
    expect(checkStateShape({ version: 1, lineage: 'l', serial: 0, keys: { ci: record }, intents: [] })).toEqual([]);
    const unverifiedWithoutSince = { ...record, pending: { id: 'newer', createdAt: 't', attributes: {} } };
    expect(checkStateShape({ version: 1, lineage: 'l', serial: 0, keys: { ci: unverifiedWithoutSince }, intents: [] })).toEqual([
      "keys.ci.pending: must have required property 'unverifiedSince'",
    ]);
  });

  it('names unknown properties', () => {
    const doc = { version: 1, lineage: 'l', serial: 0, keys: {}, intents: [], secret: 'x' };
    expect(checkStateShape(doc)).toEqual(['(root): must NOT have additional properties (secret)']);
  });
});
