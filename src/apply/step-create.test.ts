/**
 * createAndDeliver over the fake provider: what state and the cloud hold after a create
 * that succeeds, fails before or after the provider acted, or cannot deliver its secret.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyplanState } from '../model/state.js';
import { FakeCloud, fakeTokenKey } from '../providers/fake/index.js';
import { setCurrent } from '../state/mutations.js';
import { tidyState } from './tidy.js';
import { createAndDeliver } from './step-create.js';
import { applyFixture, fakeSnapshot, planFake } from '../../test/helpers/apply-fixtures.js';
import { tempDir } from '../../test/helpers/cli.js';

const OWNER = 'team-a';
const key = (outputPath = 'out/ci.token') => fakeTokenKey({ name: 'ci', owner: OWNER, outputs: [{ type: 'file', path: outputPath }] });
const commit = (s: KeyplanState, instance: Parameters<typeof setCurrent>[2]) => setCurrent(s, key(), instance);

async function setup(options: { outputPath?: string; env?: Record<string, string>; signal?: AbortSignal } = {}) {
  const cloud = new FakeCloud();
  const dir = tempDir('keyplan-step-create-');
  const k = key(options.outputPath);
  const fixture = await applyFixture(cloud, { keys: [k], baseDir: dir, ...options });
  return { cloud, dir, key: k, fixture, outputFile: path.join(dir, options.outputPath ?? 'out/ci.token') };
}

describe('createAndDeliver', () => {
  it('journals the new id before the provider creates the key, then delivers the secret and records the key in one write', async () => {
    const { cloud, key: k, fixture, outputFile } = await setup();
    fixture.store.probe = () => (existsSync(outputFile) ? 'delivered' : 'absent');
    const live = await createAndDeliver(fixture.ctx, k, commit);

    const [journalled, recorded, ...rest] = fixture.store.writes;
    expect(rest).toEqual([]);
    expect(journalled?.state.intents).toEqual([expect.objectContaining({ operation: 'create', name: 'ci', liveId: live.id })]);
    expect(journalled?.cloudIds).toEqual([]);
    expect(journalled?.state.keys).toEqual({});
    expect(recorded?.state.intents).toEqual([]);
    expect(recorded?.state.keys['ci']?.current.id).toBe(live.id);
    expect(recorded?.probed).toBe('delivered');
    expect(cloud.keys().map((x) => x.id)).toEqual([live.id]);
    // The secret reached the output and nowhere in state.
    const [secret] = cloud.issuedSecrets;
    expect(readFileSync(outputFile, 'utf8')).toBe(secret);
    expect(JSON.stringify(fixture.store.writes)).not.toContain(secret);
  });

  it('leaves no intent and no key when it fails before the mutating call (its passphrase is not set)', async () => {
    const { cloud, fixture } = await setup();
    const needsPassphrase = { ...key(), passphrase: { env: 'CI_PASSPHRASE' } };
    await expect(createAndDeliver(fixture.ctx, needsPassphrase, commit)).rejects.toThrow('ci: environment variable CI_PASSPHRASE (passphrase) is not set');
    expect(fixture.store.writes).toEqual([]);
    expect(cloud.calls.create).toBe(0);
    expect(cloud.keys()).toEqual([]);
  });

  it('leaves no intent and no key when the run is stopped before the call', async () => {
    const stop = new AbortController();
    stop.abort(new Error('stopped by Ctrl-C'));
    const { cloud, key: k, fixture } = await setup({ signal: stop.signal });
    await expect(createAndDeliver(fixture.ctx, k, commit)).rejects.toThrow('stopped by Ctrl-C');
    expect(fixture.store.writes).toEqual([]);
    expect(cloud.keys()).toEqual([]);
  });

  it('a create the provider refuses leaves no key; its intent claims nothing, so tidy drops it and the next plan only creates', async () => {
    const { cloud, key: k, fixture } = await setup();
    cloud.failNext('create', { when: 'before' });
    await expect(createAndDeliver(fixture.ctx, k, commit)).rejects.toThrow('fake: create: request refused (injected)');
    expect(cloud.keys()).toEqual([]);
    expect(fixture.state().keys).toEqual({});

    const next = await planFake(fixture, [k], [OWNER]);
    expect(next.changes.map((c) => [c.action, c.deletes])).toEqual([['create', []]]);
    expect(tidyState(fixture.state(), await fakeSnapshot(fixture.adapter, [OWNER]), new Set(['ci'])).intents).toEqual([]);
  });

  it('a create whose answer was lost after the provider made the key leaves the intent, and the next plan deletes that key', async () => {
    const { cloud, key: k, fixture } = await setup();
    cloud.failNext('create', { when: 'after-mutation-crash' });
    await expect(createAndDeliver(fixture.ctx, k, commit)).rejects.toThrow('the answer was lost');
    const [orphan] = cloud.keys();
    expect(fixture.state().keys).toEqual({});
    expect(fixture.state().intents).toEqual([expect.objectContaining({ operation: 'create', liveId: orphan?.id })]);

    const next = await planFake(fixture, [k], [OWNER]);
    expect(next.changes).toEqual([expect.objectContaining({ action: 'create', deletes: [expect.objectContaining({ id: orphan?.id })] })]);
    expect(next.changes[0]?.notes).toEqual([`key ${orphan?.id} was created by an interrupted apply and never recorded; it is deleted`]);
    expect(next.unmanaged).toEqual([]);
  });

  it('deletes the new key again and fails the step when its secret cannot be written', async () => {
    const dir = tempDir('keyplan-step-create-');
    writeFileSync(path.join(dir, 'blocker'), 'a file where a folder should be');
    const cloud = new FakeCloud();
    const k = key('blocker/ci.token');
    const fixture = await applyFixture(cloud, { keys: [k], baseDir: dir });
    const failure = createAndDeliver(fixture.ctx, k, commit);
    await expect(failure).rejects.toMatchObject({ code: 'KP_APPLY_E0003' });
    await expect(failure).rejects.toThrow(/^ci: the new key's secret could not be written to its outputs, so the key was deleted again: .*blocker\/ci\.token/);
    expect(cloud.keys()).toEqual([]);
    expect(fixture.state().keys).toEqual({});
    expect(fixture.state().intents).toEqual([]);
    expect(String(await failure.catch((e: unknown) => e))).not.toContain(cloud.issuedSecrets[0]);
  });

  it('keeps the intent when deleting the undeliverable key fails too, names both failures, and the next plan deletes the key', async () => {
    const dir = tempDir('keyplan-step-create-');
    writeFileSync(path.join(dir, 'blocker'), 'a file where a folder should be');
    const cloud = new FakeCloud();
    const k = key('blocker/ci.token');
    const fixture = await applyFixture(cloud, { keys: [k], baseDir: dir });
    cloud.failNext('delete', { error: 'transient' });
    await expect(createAndDeliver(fixture.ctx, k, commit)).rejects.toThrow(
      /^ci: the new key's secret could not be written to its outputs, and deleting the key again failed \(fake: delete: service unavailable \(injected\)\), so the next plan deletes it: .*blocker\/ci\.token/,
    );
    const [left] = cloud.keys();
    expect(fixture.state().intents).toEqual([expect.objectContaining({ liveId: left?.id })]);
    const next = await planFake(fixture, [k], [OWNER]);
    expect(next.changes[0]?.deletes).toEqual([expect.objectContaining({ id: left?.id })]);
  });
});
