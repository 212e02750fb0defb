/**
 * deleteLiveKey over the fake provider: the delete is journalled while the key still
 * exists, and the record goes in the write after the provider confirmed it.
 */
import { describe, expect, it } from 'vitest';
import type { KeyplanState } from '../model/state.js';
import { FakeCloud, FAKE_TOKEN_KIND, fakeTokenKey } from '../providers/fake/index.js';
import { newState } from '../state/state-document.js';
import { removeInstance, setCurrent } from '../state/mutations.js';
import { deleteLiveKey } from './step-delete.js';
import { tidyState } from './tidy.js';
import { APPLY_NOW, applyFixture, fakeSnapshot, planFake } from '../../test/helpers/apply-fixtures.js';

const OWNER = 'team-a';
const CI = fakeTokenKey({ name: 'ci', owner: OWNER });

/** A cloud holding one token, and a state recording it as `ci`'s current key. */
async function setup() {
  const cloud = new FakeCloud();
  const token = cloud.seed({ kind: FAKE_TOKEN_KIND, owner: OWNER, attributes: { owner_name: OWNER, label: '' } });
  const initial = setCurrent(newState(), CI, { id: token.id, createdAt: new Date(APPLY_NOW).toISOString(), attributes: CI.attributes });
  const fixture = await applyFixture(cloud, { keys: [], baseDir: '.', initial });
  const target = { name: 'ci', kind: FAKE_TOKEN_KIND, provider: 'fake', owner: OWNER, id: token.id };
  const forget = (s: KeyplanState) => removeInstance(s, 'ci', token.id);
  return { cloud, fixture, target, forget, id: token.id };
}

describe('deleteLiveKey', () => {
  it('journals the delete while the key exists, then removes the record and the intent in one write', async () => {
    const { cloud, fixture, target, forget, id } = await setup();
    await deleteLiveKey(fixture.ctx, target, forget);
    const [journalled, recorded, ...rest] = fixture.store.writes;
    expect(rest).toEqual([]);
    expect(journalled?.state.intents).toEqual([expect.objectContaining({ operation: 'delete', name: 'ci', liveId: id })]);
    expect(journalled?.state.keys['ci']?.current.id).toBe(id);
    expect(journalled?.cloudIds).toEqual([id]);
    expect(recorded?.state).toMatchObject({ keys: {}, intents: [] });
    expect(recorded?.cloudIds).toEqual([]);
    expect(cloud.keys()).toEqual([]);
  });

  it('records a key that is already gone as deleted', async () => {
    const { cloud, fixture, target, forget, id } = await setup();
    await cloud.delete(OWNER, id);
    await deleteLiveKey(fixture.ctx, target, forget);
    expect(fixture.state()).toMatchObject({ keys: {}, intents: [] });
  });

  it('a delete the provider refuses keeps the key and its record; the next plan deletes it again and tidy drops the intent', async () => {
    const { cloud, fixture, target, forget, id } = await setup();
    cloud.failNext('delete');
    await expect(deleteLiveKey(fixture.ctx, target, forget)).rejects.toThrow('fake: delete: request refused (injected)');
    expect(cloud.keys().map((k) => k.id)).toEqual([id]);
    expect(fixture.state().keys['ci']?.current.id).toBe(id);
    expect(fixture.state().intents).toEqual([expect.objectContaining({ operation: 'delete', liveId: id })]);

    const next = await planFake(fixture, [], [OWNER]);
    expect(next.changes).toEqual([
      expect.objectContaining({ name: 'ci', action: 'delete', reason: 'removed_from_config', deletes: [expect.objectContaining({ id })] }),
    ]);
    const tidy = tidyState(fixture.state(), await fakeSnapshot(fixture.adapter, [OWNER]), new Set());
    expect(tidy.intents).toEqual([]);
    expect(tidy.keys['ci']?.current.id).toBe(id);
  });

  it('a delete whose answer was lost after the key went leaves a record the next run forgets, with nothing to plan', async () => {
    const { cloud, fixture, target, forget } = await setup();
    cloud.failNext('delete', { when: 'after-mutation-lost-answer' });
    await expect(deleteLiveKey(fixture.ctx, target, forget)).rejects.toThrow('the answer was lost');
    expect(cloud.keys()).toEqual([]);
    expect(fixture.state().intents).toHaveLength(1);

    expect((await planFake(fixture, [], [OWNER])).changes).toEqual([]);
    expect(tidyState(fixture.state(), await fakeSnapshot(fixture.adapter, [OWNER]), new Set())).toMatchObject({ keys: {}, intents: [] });
  });
});
