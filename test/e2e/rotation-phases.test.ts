/**
 * Rotation phases end to end against the sandbox's OUTSCALE emulator, with the engine's
 * clock moved forward a day at a time: create → verified → rotate → overlap → INACTIVE →
 * deleted, each phase shown in the plan before the apply that moves it; and `rotation undo`
 * during the overlap and during the deactivation makes the old key current again (it
 * authenticates again), retires the new one, and is refused once the old key is gone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace, type PlanRequest } from '../../src/engine.js';
import { startOutscaleEmulator } from '../../src/emulators/outscale/index.js';
import { oscCall } from '../../src/emulators/outscale/testing/client.js';
import { silentReporter } from '../../src/report/reporter.js';
import type { KeyplanState } from '../../src/model/state.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { tempDir } from '../helpers/cli.js';

const DAY = 86_400_000;
const START = Date.now();

const CONFIG = `version: 1
providers:
  osc: { type: outscale, endpoint: sandbox }
keys:
  - name: etl
    kind: outscale.access_key
    provider: osc
    user_name: etl-bot
    rotation: { overlap: 1d, deactivate_for: 1d }
    outputs:
      - { type: file, path: out/etl.json }
`;

/** Opens the workspace with its clock `days` after START, runs one plan (and apply unless `planOnly`), and closes it. */
async function run(
  file: string,
  days: number,
  req: PlanRequest = {},
  env: Record<string, string> = {},
): Promise<{ human: string; state: KeyplanState; liveIds: string[] }> {
  const ws = await Workspace.open(file, { env, reporter: silentReporter, now: () => START + days * DAY }, { checkEnv: false });
  try {
    return await ws.withLock('test', async (stored) => {
      const planned = await ws.plan(stored, req);
      const human = renderPlanHuman(planned.plan, { color: false });
      const result = await ws.apply(planned);
      expect(result.counts.failed, human).toBe(0);
      return { human, state: await ws.store.read(), liveIds: planned.live.keys.map((k) => k.id) };
    });
  } finally {
    await ws.close();
  }
}

async function undo(file: string, days: number): Promise<string> {
  const ws = await Workspace.open(file, { env: {}, reporter: silentReporter, now: () => START + days * DAY }, { checkEnv: false });
  try {
    return (await ws.undoRotation('etl')).restoredId;
  } finally {
    await ws.close();
  }
}

/** The keys the emulator holds for etl-bot, and whether `accessKey` (with its secret) authenticates, read from the sandbox's data folder. */
async function emulator(dir: string, key?: { accessKey: string; secretKey: string }): Promise<{ keys: Record<string, string>; authenticates?: boolean }> {
  const emu = await startOutscaleEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'outscale') });
  try {
    const keys = Object.fromEntries(emu.listAccessKeys('etl-bot').map((k) => [k.accessKeyId, k.state]));
    if (key === undefined) return { keys };
    const answer = await oscCall(emu.url, 'ReadAccessKeys', {}, { sign: { ...key, region: emu.account.region } });
    return { keys, authenticates: answer.status === 200 };
  } finally {
    await emu.close();
  }
}

function delivered(dir: string): { accessKey: string; secretKey: string } {
  const out = JSON.parse(readFileSync(path.join(dir, 'out', 'etl.json'), 'utf8')) as Record<string, string>;
  return { accessKey: out['access_key'] as string, secretKey: out['secret_key'] as string };
}

describe('rotation phases of an OUTSCALE key (overlap 1d, deactivate_for 1d)', () => {
  it('goes create → overlap → INACTIVE → deleted, each phase planned first, and undo brings the old key back while it exists', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, CONFIG);

    const created = await run(file, 0);
    const first = delivered(dir);
    expect(created.state.keys['etl']?.current).toMatchObject({ id: first.accessKey, verifiedAt: expect.any(String) });

    // Rotate: the old key enters its overlap, shown in the plan before the apply.
    const rotated = await run(file, 0, { rotate: ['etl'] });
    const second = delivered(dir);
    expect(second.accessKey).not.toBe(first.accessKey);
    expect(rotated.state.keys['etl']?.retiring).toEqual([expect.objectContaining({ id: first.accessKey, retireAfter: new Date(START + DAY).toISOString() })]);
    expect(await emulator(dir, first)).toEqual({ keys: { [first.accessKey]: 'ACTIVE', [second.accessKey]: 'ACTIVE' }, authenticates: true });

    // Undo during the overlap: the old key is current again, the new one retires.
    expect(await undo(file, 0.5)).toBe(first.accessKey);
    const afterUndo = JSON.parse(readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8')) as KeyplanState;
    expect(afterUndo.keys['etl']?.current.id).toBe(first.accessKey);
    expect(afterUndo.keys['etl']?.retiring.map((r) => r.id)).toEqual([second.accessKey]);

    // A day and a half later the new key's overlap is over: the plan shows the deactivation, the apply makes it INACTIVE.
    const deactivated = await run(file, 1.6);
    expect(deactivated.human).toContain(second.accessKey);
    expect(deactivated.human).toMatch(/overlap until/);
    expect(await emulator(dir, second)).toEqual({ keys: { [first.accessKey]: 'ACTIVE', [second.accessKey]: 'INACTIVE' }, authenticates: false });
    expect(deactivated.state.keys['etl']?.retiring[0]).toMatchObject({
      id: second.accessKey,
      deactivatedAt: expect.any(String),
      deleteAfter: expect.any(String),
    });

    // Undo during the deactivation: reactivated, current again; the first key retires in turn.
    expect(await undo(file, 1.7)).toBe(second.accessKey);
    expect(await emulator(dir, second)).toMatchObject({ keys: { [second.accessKey]: 'ACTIVE' }, authenticates: true });

    // Its overlap ends (deactivated), then its deactivation ends (deleted): each planned first.
    const inactive = await run(file, 2.8);
    expect(inactive.human).toMatch(/deactivat/);
    expect((await emulator(dir)).keys).toEqual({ [first.accessKey]: 'INACTIVE', [second.accessKey]: 'ACTIVE' });
    const deleted = await run(file, 3.9);
    expect(deleted.human).toContain(first.accessKey);
    expect((await emulator(dir)).keys).toEqual({ [second.accessKey]: 'ACTIVE' });
    expect(deleted.state.keys['etl']?.retiring).toEqual([]);

    // Nothing is left to go back to.
    await expect(undo(file, 4)).rejects.toThrow(/no replaced key is left to go back to/);
  }, 120_000);
});

/** Kinds that cannot deactivate: the old key is deleted when its overlap ends. */
const NO_DEACTIVATE = {
  'oci.api_key': `providers:
  oci: { type: oci, endpoint: sandbox }
keys:
  - name: etl
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..phases
    passphrase: { env: PHASES_PASSPHRASE }
    rotation: { overlap: 1d }
    outputs:
      - { type: file, path: out/etl.pem }
`,
  'dataos.api_key': `providers:
  dataos: { type: dataos, endpoint: sandbox }
keys:
  - name: etl
    kind: dataos.api_key
    provider: dataos
    token_name: phases
    duration: 720h
    rotation: { overlap: 1d }
    outputs:
      - { type: file, path: out/etl.token }
`,
};

describe.each(Object.entries(NO_DEACTIVATE))('rotation phases of %s (overlap 1d, no deactivation)', (_kind, keys) => {
  it('goes create → overlap → deleted, the overlap planned first; undo is refused once the old key is gone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(file, `version: 1\n${keys}`);
    const env = { PHASES_PASSPHRASE: 'phases-Passphrase-7d1e' };

    const created = await run(file, 0, {}, env);
    const first = created.state.keys['etl']?.current;
    expect(first).toMatchObject({ verifiedAt: expect.any(String) });
    const rotated = await run(file, 0, { rotate: ['etl'] }, env);
    const second = rotated.state.keys['etl']?.current.id as string;
    expect(second).not.toBe(first?.id);
    expect(rotated.state.keys['etl']?.retiring).toEqual([expect.objectContaining({ id: first?.id, retireAfter: new Date(START + DAY).toISOString() })]);

    // Half a day on, the plan shows the overlap and changes nothing.
    const during = await run(file, 0.5, {}, env);
    expect(during.human).toMatch(/overlap until/);
    expect(during.liveIds).toEqual(expect.arrayContaining([first?.id, second]));
    expect(during.state.keys['etl']?.retiring.map((r) => r.id)).toEqual([first?.id]);

    // After the overlap the old key is deleted (no deactivation for this kind).
    const after = await run(file, 1.1, {}, env);
    expect(after.human).toContain(first?.id);
    expect(after.state.keys['etl']?.retiring).toEqual([]);
    const settled = await run(file, 1.2, {}, env);
    expect(settled.liveIds).toContain(second);
    expect(settled.liveIds).not.toContain(first?.id);
    await expect(undo(file, 1.3)).rejects.toThrow(/no replaced key is left to go back to/);
  }, 120_000);
});
