/**
 * State that is well-formed JSON of the right shape but cannot be trusted: kinds this
 * keyplan does not know, timestamps that are not RFC 3339, two records owning one live
 * key. Each is refused at read time with the file and the field named, before any plan
 * or provider call could act on it.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { InternalError, KeyplanError } from '../errors/errors.js';
import type { Intent, KeyplanState, ManagedKey } from '../model/state.js';
import { thrown } from '../../test/helpers/errors.js';
import { LocalStateStore } from './local-store.js';
import { parseState } from './state-document.js';
import { STATE_CODES } from './codes.js';

const KINDS = new Set(['oci.api_key', 'outscale.access_key']);
const T = '2025-01-02T03:04:05.000Z';

function rec(name: string, id: string, over: Partial<ManagedKey> = {}): ManagedKey {
  return {
    name,
    kind: 'outscale.access_key',
    provider: 'osc',
    owner: 'etl-bot',
    current: { id, createdAt: T, attributes: {} },
    retiring: [],
    ...over,
  };
}

function doc(keys: ManagedKey[], intents: Intent[] = []): string {
  const state: KeyplanState = { version: 1, lineage: 'l-1', serial: 3, keys: Object.fromEntries(keys.map((k) => [k.name, k])), intents };
  return JSON.stringify(state);
}

function failure(text: string): KeyplanError {
  try {
    parseState(text, '.keyplan/state.json', { knownKinds: KINDS });
  } catch (error) {
    expect(error).toBeInstanceOf(KeyplanError);
    return error as KeyplanError;
  }
  throw new Error('expected parseState to refuse the state');
}

describe('state rules', () => {
  it('accepts a consistent state', () => {
    const retiring = [{ id: 'AK0', createdAt: T, attributes: {}, retireAfter: '2025-01-03T00:00:00+02:00' }];
    expect(parseState(doc([rec('a', 'AK1', { retiring }), rec('b', 'AK2')]), 's', { knownKinds: KINDS }).keys['a']?.current.id).toBe('AK1');
  });

  it('refuses a kind this keyplan does not know, naming the file, the key and the kind', () => {
    const error = failure(doc([rec('x', 'AK1', { kind: 'foo.bar' })]));
    expect(error.code).toBe(STATE_CODES.unknownKind);
    expect(error.source).toBe('user');
    expect(error.message).toBe(
      'state .keyplan/state.json: keys.x.kind: key "x" has kind "foo.bar", which this keyplan does not know (it knows oci.api_key, outscale.access_key); use the keyplan release that wrote this state\n' +
        'Nothing was changed. Fix the file by hand or restore a backup of it.',
    );
  });

  it('refuses timestamps that are not RFC 3339, naming each field', () => {
    const retiring = [{ id: 'AK0', createdAt: T, attributes: {}, retireAfter: '2025-02-30T00:00:00Z' }];
    const intent: Intent = {
      id: 'i',
      operation: 'create',
      name: 'a',
      kind: 'outscale.access_key',
      provider: 'osc',
      owner: 'etl-bot',
      startedAt: 'June 1 2025',
    };
    const error = failure(doc([rec('a', 'AK1', { current: { id: 'AK1', createdAt: 'yesterday', attributes: {} }, retiring })], [intent]));
    expect(error.code).toBe(STATE_CODES.badTimestamp);
    expect(error.message).toBe(
      'state .keyplan/state.json has 3 problems:\n' +
        '  keys.a.current.createdAt: "yesterday" is not an RFC 3339 timestamp such as 2025-06-01T12:00:00Z\n' +
        '  keys.a.retiring[0].retireAfter: "2025-02-30T00:00:00Z" is not an RFC 3339 timestamp such as 2025-06-01T12:00:00Z\n' +
        '  intents[0].startedAt: "June 1 2025" is not an RFC 3339 timestamp such as 2025-06-01T12:00:00Z\n' +
        'Nothing was changed. Fix the file by hand or restore a backup of it.',
    );
  });

  it('refuses two records naming one live key, as current or retiring, naming both keys and the id', () => {
    const retiring = [{ id: 'AK1', createdAt: T, attributes: {}, retireAfter: T }];
    const error = failure(doc([rec('a', 'AK1'), rec('b', 'AK2', { retiring })]));
    expect(error.code).toBe(STATE_CODES.sharedLiveKey);
    expect(error.message).toBe(
      'state .keyplan/state.json: keys.b.retiring[0].id: keys "a" and "b" both name live key AK1 (outscale.access_key of etl-bot, provider osc); ' +
        "rotating or deleting one would delete the other's key. Keep the id in one record only\n" +
        'Nothing was changed. Fix the file by hand or restore a backup of it.',
    );
    // The same id under another owner or kind is another key.
    expect(() => parseState(doc([rec('a', 'AK1'), rec('b', 'AK1', { owner: 'other' })]), 's', { knownKinds: KINDS })).not.toThrow();
  });

  it('makes the local store refuse such a file on read and on write, leaving it untouched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keyplan-rules-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'state.json');
    const text = doc([rec('a', 'AK1'), rec('b', 'AK1')]);
    await mkdir(dir, { recursive: true });
    await writeFile(path, text);
    const store = new LocalStateStore(path, { knownKinds: KINDS });
    const error = await thrown(store.read());
    expect((error as KeyplanError).code).toBe(STATE_CODES.sharedLiveKey);
    expect(error.message).toContain(`state ${path}: keys.b.current.id: keys "a" and "b" both name live key AK1`);
    const valid = JSON.parse(doc([rec('a', 'AK1')])) as KeyplanState;
    expect(await thrown(store.write(valid))).toMatchObject({ code: STATE_CODES.sharedLiveKey });
    expect(await readFile(path, 'utf8')).toBe(text);

    // Nor does it write such a state where there is none yet: no run makes one, so that is a bug.
    const fresh = new LocalStateStore(join(dir, 'fresh', 'state.json'), { knownKinds: KINDS });
    const shared = JSON.parse(doc([rec('a', 'AK1'), rec('b', 'AK1')])) as KeyplanState;
    const refused = await thrown(fresh.write(shared));
    expect(refused).toBeInstanceOf(InternalError);
    expect(refused.message).toContain('keys.b.current.id: keys "a" and "b" both name live key AK1');
    await expect(readFile(fresh.path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
