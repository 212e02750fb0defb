import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyplanConfig } from '../model/desired.js';
import { plan } from './planner.js';
import { parseSavedPlan, PlanFileVersionError, readPlanFile, savedPlanOf, serializeSavedPlan, writePlanFile, type SavedPlan } from './planfile.js';
import { tempDir } from '../../test/helpers/cli.js';
import { DAY, desired, live, options, record, snapshot, state } from '../../test/helpers/plan-fixtures.js';

function config(): KeyplanConfig {
  return {
    file: 'keys.yaml',
    baseDir: '/nowhere',
    hash: 'ab'.repeat(32),
    state: { backend: 'local', path: '.keyplan/state.json' },
    providers: { oci: { name: 'oci', type: 'oci', settings: { endpoint: 'sandbox' } } },
    keys: [
      desired('ci', { passphrase: { env: 'CI_PASSPHRASE' } }),
      desired('old', { rotation: { maxAgeMs: 30 * DAY, overlapMs: 7 * DAY, requireOverlap: false } }),
    ],
  };
}

/** A plan with a create, a rotation with overlap and an unmanaged key. */
function saved(): SavedPlan {
  const cfg = config();
  const st = state([
    record('old', 'bb', { current: { id: 'bb', createdAt: '2025-01-01T00:00:00.000Z', attributes: { user: 'ocid1.user.oc1..a', bits: 2048 } } }),
  ]);
  const ls = snapshot([live('bb'), live('zz')]);
  const p = plan(cfg.keys, ls, st, options());
  return savedPlanOf({ plan: p, config: cfg, state: st, live: ls, options: { targets: [], rotate: [] }, keyplanVersion: '0.1.0' });
}

describe('saved plan files', () => {
  it('records what the plan was computed from', () => {
    const s = saved();
    expect(s.plan.changes.map((c) => [c.name, c.action])).toEqual([
      ['ci', 'create'],
      ['old', 'rotate'],
    ]);
    expect(s.plan.unmanaged.map((k) => k.id)).toEqual(['zz']);
    expect(s).toMatchObject({
      format: 'keyplan-plan',
      formatVersion: 1,
      keyplanVersion: '0.1.0',
      config: { file: 'keys.yaml', sha256: 'ab'.repeat(32) },
      state: { lineage: '00000000-0000-4000-8000-000000000000', serial: 1 },
      options: { targets: [], rotate: [] },
      changesPresent: true,
    });
    expect(s.live.keys.map((k) => k.id)).toEqual(['bb', 'zz']);
  });

  it('round-trips through text, byte for byte, and the same plan saves to the same bytes', () => {
    const text = serializeSavedPlan(saved());
    expect(serializeSavedPlan(saved())).toBe(text);
    const back = parseSavedPlan(text, 'plan.kp');
    expect(back).toEqual(JSON.parse(text));
    expect(serializeSavedPlan(back)).toBe(text);
  });

  it('writes atomically with mode 0600 and reads back the same plan', async () => {
    const dir = tempDir('keyplan-planfile-');
    const file = path.join(dir, 'sub', 'plan.kp');
    await writePlanFile(file, saved());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await readPlanFile(file)).toEqual(JSON.parse(serializeSavedPlan(saved())));
  });

  it('marks a plan without changes so it is recognisable from the file alone', () => {
    const cfg = { ...config(), keys: [desired('ci')] };
    const st = state([record('ci', 'aa')]);
    const ls = snapshot([live('aa')]);
    const s = savedPlanOf({
      plan: plan(cfg.keys, ls, st, options()),
      config: cfg,
      state: st,
      live: ls,
      options: { targets: [], rotate: [] },
      keyplanVersion: '0.1.0',
    });
    expect(s.changesPresent).toBe(false);
  });
});

describe('reading a plan file refuses', () => {
  const text = (edit: (doc: Record<string, unknown>) => void): string => {
    const doc = JSON.parse(serializeSavedPlan(saved())) as Record<string, unknown>;
    edit(doc);
    return JSON.stringify(doc);
  };

  it('text that is not JSON, or JSON that is not a plan file', () => {
    expect(() => parseSavedPlan('{ nope', 'p.kp')).toThrow(/p\.kp is not a keyplan plan file: it is not JSON/);
    expect(() => parseSavedPlan('{"version":1,"keys":{}}', 'state.json')).toThrow(/state\.json is not a keyplan plan file/);
  });

  it('another format version, naming the keyplan that wrote it', () => {
    const t = text((d) => Object.assign(d, { formatVersion: 2, keyplanVersion: '9.0.0' }));
    expect(() => parseSavedPlan(t, 'p.kp')).toThrow(PlanFileVersionError);
    expect(() => parseSavedPlan(t, 'p.kp')).toThrow(
      'p.kp cannot be read: it was written by keyplan v9.0.0 in plan file format 2; this keyplan reads format 1 only; run keyplan plan again with this keyplan',
    );
  });

  it('a file whose content was tampered with, naming the place', () => {
    const t = text((d) => ((d['plan'] as { changes: { action: string }[] }).changes[0]!.action = 'explode'));
    expect(() => parseSavedPlan(t, 'p.kp')).toThrow(/plan\.changes\.0\.action: must be equal to one of the allowed values/);
    const extra = text((d) => (d['secret'] = 'x'));
    expect(() => parseSavedPlan(extra, 'p.kp')).toThrow(/must NOT have additional properties \(secret\)/);
    const badHash = text((d) => ((d['live'] as { sha256: string }).sha256 = 'md5:00'));
    expect(() => parseSavedPlan(badHash, 'p.kp')).toThrow(/live\.sha256/);
  });

  it('a missing file, naming it', async () => {
    await expect(readPlanFile('/nonexistent/plan.kp')).rejects.toThrow('cannot read plan file /nonexistent/plan.kp: no such file');
  });

  it('a plan file that would not read back is never written', async () => {
    const dir = tempDir('keyplan-planfile-');
    const file = path.join(dir, 'plan.kp');
    writeFileSync(file, 'previous');
    const broken = { ...saved(), keyplanVersion: '' };
    await expect(writePlanFile(file, broken)).rejects.toThrow(/keyplanVersion/);
    expect(readFileSync(file, 'utf8')).toBe('previous');
  });
});
