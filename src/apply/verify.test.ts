/**
 * Verifying new keys over the fake provider, with the planner's changes and a test clock
 * that the verify backoff's sleep moves forward: a key that authenticates late, a rotation
 * whose new key never does (the old key stays current, the next plan shows it unverified
 * and verifies it again), a create that never does (deleted again), and `verify: false`.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesiredKey } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import { FakeCloud, fakeTokenKey } from '../providers/fake/index.js';
import { renderPlanHuman } from '../render/human.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { planDocument } from '../render/json.js';
import type { StepContext } from './context.js';
import { executeChange } from './execute-change.js';
import { tidyState } from './tidy.js';
import { APPLY_NOW, applyFixture, fakeSnapshot, planFake, type ApplyFixture } from '../../test/helpers/apply-fixtures.js';
import { tempDir } from '../../test/helpers/cli.js';

const OWNER = 'team-a';
const HOUR = 3_600_000;

function declare(rotation: Partial<DesiredKey['rotation']> = {}, outputs: DesiredKey['outputs'] = [{ type: 'file', path: 'out/ci.token' }]): DesiredKey {
  const key = fakeTokenKey({ name: 'ci', owner: OWNER, outputs });
  return { ...key, rotation: { ...key.rotation, verifyTimeoutMs: 120_000, ...rotation } };
}

async function world(key = declare()) {
  const cloud = new FakeCloud();
  const dir = tempDir('keyplan-verify-');
  const fixture = await applyFixture(cloud, { keys: [key], baseDir: dir });
  let clock = APPLY_NOW;
  const sleeps: number[] = [];
  const ctx: StepContext = {
    ...fixture.ctx,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  };
  const plan = async (): Promise<Plan> => {
    const p = await planFake(fixture, ctx.config.keys, [OWNER], { now: clock });
    expect(p.errored).toBe(false);
    return p;
  };
  /** Plans and runs every change; returns the plan and each change's error message (or null). */
  const converge = async () => {
    const live = await fakeSnapshot(fixture.adapter, [OWNER]);
    await ctx.session.update((s) => tidyState(s, live, new Set(['ci'])));
    const p = await plan();
    const errors: (string | null)[] = [];
    for (const change of p.changes) {
      errors.push(
        await executeChange(ctx, change).then(
          () => null,
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        ),
      );
    }
    return { plan: p, errors };
  };
  const later = (ms: number): void => {
    clock += ms;
  };
  return { cloud, dir, fixture, ctx, sleeps, converge, plan, later, outputFile: path.join(dir, 'out/ci.token') };
}

const record = (f: ApplyFixture) => f.state().keys['ci'];

describe('verify after create', () => {
  it('waits with growing pauses while the provider does not accept the new key, then records it verified', async () => {
    const w = await world();
    w.cloud.rejectAuthentications(3);
    const { plan, errors } = await w.converge();
    expect(plan.changes.map((c) => c.action)).toEqual(['create']);
    expect(errors).toEqual([null]);
    expect(w.sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(w.cloud.calls.verify).toBe(4);
    expect(record(w.fixture)?.current.verifiedAt).toBe(new Date(APPLY_NOW + 7_000).toISOString());
    expect((await w.converge()).plan.changes).toEqual([]);
  });

  it('deletes a new key that never authenticates, puts its output back, and leaves nothing recorded', async () => {
    const w = await world();
    w.cloud.rejectAuthentications('always');
    const { errors } = await w.converge();
    const [secret] = w.cloud.issuedSecrets;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^ci: the new key did not authenticate within 2m: 401 NotAuthenticated: token ftk-000001 is not accepted yet \(after \d+ attempts in 2m\); it was deleted again, and its outputs were put back$/,
    );
    expect(w.sleeps.reduce((a, b) => a + b, 0)).toBe(120_000);
    expect(Math.max(...w.sleeps)).toBe(15_000);
    expect(w.cloud.keys()).toEqual([]);
    expect(existsSync(w.outputFile)).toBe(false);
    expect(w.fixture.state().keys).toEqual({});
    expect(w.fixture.state().intents).toEqual([]);
    expect(JSON.stringify([errors, w.fixture.store.writes])).not.toContain(secret);
  });

  it('keeps the create intent journalled when deleting a key that never authenticated fails, so the next plan deletes it', async () => {
    const w = await world();
    w.cloud.rejectAuthentications('always');
    w.cloud.failNext('delete', { error: 'transient' });
    const { errors } = await w.converge();
    expect(errors[0]).toMatch(
      /^ci: the new key did not authenticate within 2m: .*; deleting it again failed \(fake: delete: service unavailable \(injected\)\), so the next plan deletes it$/,
    );
    expect(w.fixture.state().intents).toEqual([expect.objectContaining({ operation: 'create', liveId: 'ftk-000001' })]);
    expect(w.fixture.state().keys).toEqual({});
    w.cloud.rejectAuthentications(0);
    const next = await w.converge();
    // The journalled key is deleted before its replacement is made: no orphan is left.
    expect(next.plan.changes[0]?.deletes.map((d) => d.id)).toEqual(['ftk-000001']);
    expect(next.errors).toEqual([null]);
    expect(w.cloud.keys().map((k) => k.id)).toEqual(['ftk-000002']);
  });

  it('does not verify a key with verify: false', async () => {
    const w = await world(declare({ verify: false }));
    w.cloud.rejectAuthentications('always');
    expect((await w.converge()).errors).toEqual([null]);
    expect(w.cloud.calls.verify).toBe(0);
    expect(record(w.fixture)?.current.verifiedAt).toBeUndefined();
    expect(w.cloud.keys()).toHaveLength(1);
  });
});

describe('verify during a rotation', () => {
  async function rotatedOnce(key = declare({ maxAgeMs: 10 * HOUR, overlapMs: HOUR })) {
    const w = await world(key);
    await w.converge();
    const [old] = w.cloud.keys().map((k) => k.id);
    const oldSecret = existsSync(w.outputFile) ? readFileSync(w.outputFile, 'utf8') : null;
    w.later(11 * HOUR);
    w.cloud.rejectAuthentications('always');
    const first = await w.converge();
    return { w, old: old as string, oldSecret, first };
  }

  it('keeps the old key current and not retiring when the new key never authenticates, and the step fails', async () => {
    const { w, old, oldSecret, first } = await rotatedOnce();
    expect(first.plan.changes.map((c) => `${c.action} ${c.reason}`)).toEqual(['rotate max_age']);
    const [fresh] = w.cloud
      .keys()
      .map((k) => k.id)
      .filter((id) => id !== old);
    expect(first.errors[0]).toMatch(
      new RegExp(
        `^ci: the new key ${fresh} did not authenticate within 2m: 401 NotAuthenticated: .*; the old key stays current and the next apply verifies the new one again$`,
      ),
    );
    const ci = record(w.fixture);
    expect(ci?.current.id).toBe(old);
    expect(ci?.retiring).toEqual([]);
    expect(ci?.pending).toMatchObject({ id: fresh, verifyError: expect.stringContaining('401 NotAuthenticated') });
    expect(ci?.pending?.unverifiedSince).toBeDefined();
    expect(w.fixture.state().intents).toEqual([]);
    // Both keys are live: the old one still serves its consumers.
    expect(
      w.cloud
        .keys()
        .map((k) => k.id)
        .sort(),
    ).toEqual([old, fresh].sort());
    // The output still holds the new key's secret: consumers that pick it up fail loudly, the old key keeps working.
    expect(oldSecret).not.toBe(readFileSync(w.outputFile, 'utf8'));
    for (const secret of w.cloud.issuedSecrets) expect(JSON.stringify([first.errors, w.fixture.store.writes])).not.toContain(secret);
  });

  it('shows the rotation as unverified in the next plan, verifies again and then retires the old key with its overlap', async () => {
    const { w, old } = await rotatedOnce();
    const fresh = record(w.fixture)?.pending?.id as string;
    w.cloud.rejectAuthentications(0);
    const next = await w.plan();
    expect(next.changes).toHaveLength(1);
    const change = next.changes[0];
    expect(change).toMatchObject({ action: 'rotate', reason: 'unverified', verifies: { id: fresh }, deletes: [], overlapMs: HOUR });
    const human = await renderPlanHuman(next, { color: false });
    expect(human).toContain(`rotation is unverified: new key ${fresh} is verified again`);
    expect(human).toContain('unverified');
    expect(await renderPlanMarkdown(next)).toContain('unverified');
    const doc = planDocument(next, { keyplanVersion: '0.0.0' });
    expect(doc.key_changes[0]).toMatchObject({ reason: 'unverified', actions: ['update'], verifies: { id: fresh } });

    const { errors } = await w.converge();
    expect(errors).toEqual([null]);
    const ci = record(w.fixture);
    expect(ci?.current.id).toBe(fresh);
    expect(ci?.current.verifiedAt).toBeDefined();
    expect(ci?.pending).toBeUndefined();
    expect(ci?.retiring.map((r) => r.id)).toEqual([old]);
    // No new key was made to verify again.
    expect(w.cloud.calls.create).toBe(2);
    w.later(2 * HOUR);
    expect((await w.converge()).plan.changes.map((c) => `${c.action} ${c.reason}`)).toEqual(['retire overlap_elapsed']);
    expect(w.cloud.keys().map((k) => k.id)).toEqual([fresh]);
  });

  it('fails again while the new key still does not authenticate, recording the latest reason', async () => {
    const { w, old } = await rotatedOnce();
    const again = await w.converge();
    expect(again.plan.changes.map((c) => c.reason)).toEqual(['unverified']);
    expect(again.errors[0]).toMatch(/^ci: new key ftk-000002 still does not authenticate \(tried for up to 2m\): 401 .*; the old key stays current/);
    expect(record(w.fixture)?.current.id).toBe(old);
    expect(record(w.fixture)?.pending?.id).toBe('ftk-000002');
  });

  it('replaces an unverified key whose output no longer holds its secret', async () => {
    const { w, old } = await rotatedOnce();
    rmSync(w.outputFile);
    const lost = await w.converge();
    expect(lost.errors[0]).toContain('its outputs no longer hold its secret; the next plan replaces it with a new key');
    w.cloud.rejectAuthentications(0);
    const replaced = await w.converge();
    expect(replaced.plan.changes[0]?.notes[0]).toContain('none of its outputs can be read back to verify it again, so it is deleted and replaced by a new key');
    expect(replaced.plan.changes[0]?.deletes.map((d) => d.id)).toEqual(['ftk-000002']);
    expect(replaced.errors).toEqual([null]);
    const ci = record(w.fixture);
    expect(ci?.current.id).toBe('ftk-000003');
    expect(ci?.pending).toBeUndefined();
    expect(ci?.retiring.map((r) => r.id)).toEqual([old]);
    expect(w.cloud.keys().map((k) => k.id)).toEqual([old, 'ftk-000003']);
  });

  it('plans a replacement when no output of the key can be read back', async () => {
    const { w } = await rotatedOnce(declare({ maxAgeMs: 10 * HOUR, overlapMs: HOUR }, [{ type: 'exec', command: ['true'] }]));
    const next = await w.plan();
    expect(next.changes[0]).toMatchObject({ action: 'rotate', reason: 'unverified', deletes: [{ id: 'ftk-000002' }] });
    expect(next.changes[0]?.verifies).toBeUndefined();
  });
});
