/**
 * Only outputs whose `path` is a file they write (OutputModule.writesFileAtPath) collide on
 * it; outputs of one store type collide on their destination (OutputModule.destination).
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveIn } from '../../src/config/check-outputs.js';
import { CORE_OUTPUTS } from '../../src/outputs/core.js';
import type { OutputModule } from '../../src/providers/module.js';
import { ProviderRegistry, SHIPPED_PROVIDERS } from '../../src/providers/registry.js';
import { HEADER, ociKey, problems, yaml } from './helpers.js';

/** A secret store whose `path` names a secret inside the store, not a file. */
const storeOutput: OutputModule = {
  type: 'store',
  summary: '`store`: a test secret store.',
  schema: { required: ['path'], properties: { path: { type: 'string' } } },
  order: 4,
  describe: (spec) => String(spec['path']),
  destination: (spec) => String(spec['path']),
  write: async () => undefined,
};
const providers = new ProviderRegistry(SHIPPED_PROVIDERS, [...CORE_OUTPUTS, storeOutput]);

describe('output path conflicts', () => {
  it('ignore a store path equal to a file path, and still catch two files', () => {
    const text = yaml(
      ...HEADER,
      ...ociKey('a', '    outputs:', '      - { type: file, path: ci/deploy }', '      - { type: store, path: ci/deploy }'),
      ...ociKey('b', '    outputs:', '      - { type: store, path: ci/other }', '      - { type: file, path: ./ci/deploy }'),
    );
    expect(problems(text, { providers })).toEqual([
      'keys.yaml:20:29: keys[1].outputs[1].path: "./ci/deploy" is already written by keys[0].outputs[0] (key "a", line 11)',
    ]);
  });

  it('refuse a second output of one store type with the same destination', () => {
    const text = yaml(
      ...HEADER,
      ...ociKey('a', '    outputs:', '      - { type: file, path: a.pem }', '      - { type: store, path: ci/deploy }'),
      ...ociKey('b', '    outputs:', '      - { type: file, path: b.pem }', '      - { type: store, path: ci/deploy }'),
    );
    expect(problems(text, { providers })).toEqual([
      'keys.yaml:20:9: keys[1].outputs[1]: store ci/deploy is already written by keys[0].outputs[1] (key "a", line 12)',
    ]);
  });
});

describe('resolveIn', () => {
  it('is path.resolve for any path under an absolute folder (its shortcut for plain paths included)', () => {
    const segment = fc.oneof(fc.constantFrom('.', '..', '', '...', '.x', 'a..', 'secrets'), fc.stringMatching(/^[a-z.]{1,4}$/));
    const file = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/')),
      fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`),
    );
    fc.assert(
      fc.property(fc.constantFrom('/repo', '/repo/dir', '/'), file, (dir, f) => resolveIn(dir, f) === path.resolve(dir, f)),
      { numRuns: 2000 },
    );
  });
});
