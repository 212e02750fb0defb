/**
 * Parsing state text: hostile nesting gets the same clear "not a valid keyplan state"
 * error as any other wrong shape, naming the file and the field, never a stack overflow.
 */
import { describe, expect, it } from 'vitest';
import { KeyplanError } from '../errors/errors.js';
import { parseState } from './state-document.js';

const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const T = '2025-01-02T03:04:05.000Z';

function stateText(record: string, intents = '[]'): string {
  return `{"version":1,"lineage":"l","serial":0,"keys":{"a":${record}},"intents":${intents}}`;
}

const RECORD = `{"name":"a","kind":"k","provider":"p","owner":"o","current":{"id":"i","createdAt":"${T}","attributes":{}},"retiring":[]}`;

describe('parseState with deep nesting', () => {
  it.each([
    ['a record', stateText(DEEP), 'keys.a: must be object'],
    [
      'an attribute',
      stateText(RECORD.replace('"attributes":{}', `"attributes":{"x":${DEEP}}`)),
      'keys.a.current.attributes.x: must be string,number,boolean,null',
    ],
    ['an intent', stateText(RECORD, `[${DEEP}]`), 'intents.0: must be object'],
  ])('in %s is a shape error naming the field', (_where, text, problem) => {
    let error: unknown;
    try {
      parseState(text, '.keyplan/state.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyplanError);
    expect((error as KeyplanError).code).toBe('KP_STATE_E0003');
    expect((error as Error).message).toBe(`state file .keyplan/state.json is not a valid keyplan state:\n  ${problem}`);
  });
});
