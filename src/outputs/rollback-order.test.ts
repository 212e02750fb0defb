/** writeOutputs' order and rollback, with fake output types that record what happens to them. */
import { describe, expect, it } from 'vitest';
import { Secret } from '../model/secret.js';
import type { OutputSpec } from '../model/desired.js';
import type { SecretMaterial } from '../providers/contract.js';
import type { OutputModule } from '../providers/module.js';
import { thrown } from '../../test/helpers/errors.js';
import { outputContext } from '../../test/helpers/outputs.js';
import { OUTPUT_ERROR_CODES, OutputError, writeOutputs } from './index.js';

const material: SecretMaterial = { file: new Secret('s3cr3t-value-000'), secrets: {}, values: {} };

/** Fake output types; `events` records writes and undos in the order they happen. */
function fakes(events: string[], options: { failing?: string; failingUndo?: string } = {}): ReadonlyMap<string, OutputModule> {
  const fake = (type: string, order: number, restorable = true): OutputModule => ({
    type,
    order,
    schema: {},
    summary: type,
    describe: (spec) => String(spec['name']),
    write: async (spec) => {
      const name = String(spec['name']);
      if (name === options.failing) {
        events.push(`fail ${name}`);
        throw new OutputError(spec, 'the store said no', { code: OUTPUT_ERROR_CODES.store, source: 'user', label: name });
      }
      events.push(`write ${name}`);
      if (!restorable) return undefined;
      return async () => {
        events.push(`undo ${name}`);
        if (name === options.failingUndo) throw new Error(`${name} could not be put back`);
      };
    },
  });
  return new Map([
    ['late', fake('late', 9, false)],
    ['store', fake('store', 4)],
    ['early', fake('early', 0)],
  ]);
}

const SPECS: OutputSpec[] = [
  { type: 'late', name: 'gh' },
  { type: 'store', name: 'vault-1' },
  { type: 'early', name: 'pem' },
  { type: 'store', name: 'vault-2' },
];

describe('writeOutputs order and rollback', () => {
  it('writes by order, ties in declaration order, and returns the labels written', async () => {
    const events: string[] = [];
    const written = await writeOutputs(SPECS, material, outputContext('/tmp', 'k', { types: fakes(events) }));
    expect(events).toEqual(['write pem', 'write vault-1', 'write vault-2', 'write gh']);
    expect(written).toEqual(['pem', 'vault-1', 'vault-2', 'gh']);
  });

  it('undoes the outputs written before a failure, last first, writes nothing after it, and rethrows the failure', async () => {
    const events: string[] = [];
    const error = await thrown(writeOutputs(SPECS, material, outputContext('/tmp', 'k', { types: fakes(events, { failing: 'vault-2' }) })));
    expect(events).toEqual(['write pem', 'write vault-1', 'fail vault-2', 'undo vault-1', 'undo pem']);
    expect(error.message).toBe('store output vault-2: the store said no');
    expect((error as OutputError).code).toBe(OUTPUT_ERROR_CODES.store);
  });

  it('runs every undo even when one fails, and names the one that failed', async () => {
    const events: string[] = [];
    const types = fakes(events, { failing: 'vault-2', failingUndo: 'vault-1' });
    const error = await thrown(writeOutputs(SPECS, material, outputContext('/tmp', 'k', { types })));
    expect(events).toEqual(['write pem', 'write vault-1', 'fail vault-2', 'undo vault-1', 'undo pem']);
    expect(error.message).toBe(
      'store output vault-2: the store said no; and putting back what was written before failed: store output vault-1: vault-1 could not be put back',
    );
    expect(error).toBeInstanceOf(OutputError);
  });

  it('names an output that cannot be restored (no undo), and still rolls back the others', async () => {
    const events: string[] = [];
    // The not-restorable output declared with the lowest order, so that it is written before the failure.
    const types = new Map(fakes(events, { failing: 'vault-1' }));
    const late = types.get('late') as OutputModule;
    types.set('late', { ...late, order: -1 });
    const error = await thrown(writeOutputs(SPECS, material, outputContext('/tmp', 'k', { types })));
    expect(events).toEqual(['write gh', 'write pem', 'fail vault-1', 'undo pem']);
    expect(error.message).toBe("store output vault-1: the store said no; late output gh cannot be put back and still holds the deleted key's secret");
  });
});
