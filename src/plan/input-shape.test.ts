/** The planner's check of its own input: which value it names when one breaks its type. */
import { describe, expect, it } from 'vitest';
import { checkPlanInput } from './input-shape.js';

const desiredKey = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'ci',
  kind: 'oci.api_key',
  provider: 'oci',
  owner: 'u1',
  attributes: {},
  dependsOn: [],
  rotation: { overlapMs: 0, requireOverlap: false },
  ...over,
});
const instance = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ id: 'k1', createdAt: '2026-01-01T00:00:00Z', attributes: {}, ...over });
const scope = { provider: 'oci', kind: 'oci.api_key', owner: 'u1' };
const liveKey = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ ...scope, id: 'k1', status: 'active', attributes: {}, ...over });
const managed = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'ci', ...scope, current: instance(), ...over });
const intent = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'i1',
  operation: 'create',
  name: 'ci',
  ...scope,
  startedAt: 'x',
  ...over,
});

function problem(desired: unknown[], live: Record<string, unknown>, state: Record<string, unknown>, now: unknown = 0): string | undefined {
  try {
    checkPlanInput(desired, { scopes: [], keys: [], ...live }, { keys: {}, intents: [], ...state }, now);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('checkPlanInput', () => {
  it('passes well-typed input', () => {
    const state = {
      keys: { ci: managed({ retiring: [{ ...instance({ id: 'k0' }), retireAfter: 'x' }] }) },
      intents: [intent({ match: { attribute: 'a', value: 'b' } })],
    };
    expect(problem([desiredKey({ source: { file: 'keys.yaml', line: 3, column: 5 } })], { scopes: [scope], keys: [liveKey()] }, state)).toBeUndefined();
  });

  it.each([
    ['now', [], {}, {}, 'x', 'Expected `now` to be a finite number, got a string'],
    ['a desired name', [desiredKey(), desiredKey({ name: '' })], {}, {}, 0, 'Expected `desired[1].name` to be a non-empty string, got an empty string'],
    [
      'an attribute',
      [desiredKey({ attributes: { 'a.b': {} } })],
      {},
      {},
      0,
      'Expected `desired[0].attributes["a.b"]` to be a string, number, boolean or null, got an object',
    ],
    ['a dependency', [desiredKey({ dependsOn: ['a', 3] })], {}, {}, 0, 'Expected `desired[0].dependsOn[1]` to be a string, got a number'],
    [
      'an overlap',
      [desiredKey({ rotation: { overlapMs: -1, requireOverlap: false } })],
      {},
      {},
      0,
      'Expected `desired[0].rotation.overlapMs` to be a whole, non-negative number of milliseconds, got a negative number',
    ],
    ['requireOverlap', [desiredKey({ rotation: { overlapMs: 0 } })], {}, {}, 0, 'Expected `desired[0].rotation.requireOverlap` to be a boolean, got nothing'],
    [
      'a source line',
      [desiredKey({ source: { file: 'f', line: 1.5, column: 1 } })],
      {},
      {},
      0,
      'Expected `desired[0].source.line` to be a whole, non-negative number, got a fractional number',
    ],
    ['a scope', [], { scopes: [scope, { ...scope, owner: null }] }, {}, 0, 'Expected `live.scopes[1].owner` to be a non-empty string, got null'],
    [
      'a live status',
      [],
      { keys: [liveKey({ status: 'gone' })] },
      {},
      0,
      'Expected `live.keys[0].status` to be one of creating, active, inactive, deleting, failed, got a string',
    ],
    ['a live marker', [], { keys: [liveKey({ marker: 1 })] }, {}, 0, 'Expected `live.keys[0].marker` to be a string, got a number'],
    ['state keys', [], {}, { keys: [] }, 0, 'Expected `state.keys` to be an object, got an array'],
    [
      'a current key',
      [],
      {},
      { keys: { 'my "ci"': managed({ current: instance({ createdAt: 5 }) }) } },
      0,
      'Expected `state.keys["my \\"ci\\""].current.createdAt` to be a string, got a number',
    ],
    [
      'a retiring key',
      [],
      {},
      { keys: { ci: managed({ retiring: [instance()] }) } },
      0,
      'Expected `state.keys["ci"].retiring[0].retireAfter` to be a string, got nothing',
    ],
    [
      'a retiring id',
      [],
      {},
      { keys: { ci: managed({ retiring: [{ ...instance({ id: '' }), retireAfter: 'x' }] }) } },
      0,
      'Expected `state.keys["ci"].retiring[0].id` to be a non-empty string, got an empty string',
    ],
    [
      'an intent operation',
      [],
      {},
      { intents: [intent({ operation: 'rotate' })] },
      0,
      'Expected `state.intents[0].operation` to be create or delete, got a string',
    ],
    [
      'an intent match',
      [],
      {},
      { intents: [intent({ match: { attribute: 'a' } })] },
      0,
      'Expected `state.intents[0].match.value` to be a non-empty string, got nothing',
    ],
    ['the live snapshot', [], { keys: 'none' }, {}, 0, 'Expected `live.keys` to be an array, got a string'],
  ] as const)('names %s', (_what, desired, live, state, now, message) => {
    expect(problem([...desired], live, state, now)).toBe(message);
    // A failed check leaves nothing behind for the next one.
    expect(problem([desiredKey()], {}, {})).toBeUndefined();
  });
});
