/**
 * keyplan's engine (Workspace: refresh → plan → apply) with the real DataOS adapter
 * against the Heimdall emulator, on one clock shared by both: create and deliver, plan
 * again with no changes, rotation near expiry with an overlap, retirement of the old
 * token, a same-named unmanaged token refused, a bad token reported by its variable, and
 * no token anywhere but in the outputs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { Workspace, type PlanResult } from '../../engine.js';
import { startDataosEmulator, type DataosEmulator } from '../../emulators/dataos/index.js';
import { createLogger, setLogger } from '../../log/logger.js';
import type { ReportEvent } from '../../report/reporter.js';
import { MARKER_PREFIX as MARKER } from '../../outputs/marker.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-03-10T10:37:00.000Z');

interface Rig {
  readonly dir: string;
  readonly emu: DataosEmulator;
  readonly ws: Workspace;
  readonly events: ReportEvent[];
  readonly clock: { now: number };
  readonly env: Record<string, string>;
}

const KEY = `  - name: presto
    kind: dataos.api_key
    provider: dataos
    token_name: presto-driver
    duration: 24h
    rotation: { before_expiry: 3h, overlap: 1h }
    outputs:
      - { type: file, path: out/presto.token }
      - { type: env_file, path: out/presto.env, prefix: PRESTO_ }
`;

async function rig(keys: string, token?: (emu: DataosEmulator) => string): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-dataos-ws-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const clock = { now: T0 };
  const emu = await startDataosEmulator({ now: () => clock.now, autoCreateUsers: true });
  onTestFinished(() => emu.close());
  const file = join(dir, 'keys.yaml');
  writeFileSync(file, `version: 1\nproviders:\n  dataos: { type: dataos, url: "${emu.url}", token_env: DATAOS_APIKEY }\nkeys:\n${keys}`);
  const env = { DATAOS_APIKEY: token?.(emu) ?? emu.bootstrap.token };
  const events: ReportEvent[] = [];
  const ws = await Workspace.open(file, { env, reporter: { notify: (e) => void events.push(e) }, now: () => clock.now }, { checkEnv: true });
  onTestFinished(() => ws.close());
  return { dir, emu, ws, events, clock, env };
}

async function plan(r: Rig): Promise<PlanResult> {
  return r.ws.plan(await r.ws.store.read());
}

async function apply(r: Rig): Promise<PlanResult> {
  const planned = await plan(r);
  expect(planned.plan.errored, JSON.stringify(planned.plan.diagnostics)).toBe(false);
  const result = await r.ws.apply(planned);
  expect(result.counts.failed).toBe(0);
  return planned;
}

async function whoIs(emu: DataosEmulator, token: string): Promise<unknown> {
  return (await fetch(`${emu.url}/heimdall/api/v1/authorize`, { method: 'POST', body: JSON.stringify({ token }) })).json();
}

afterEach(() => setLogger(createLogger({})));

describe('keyplan with dataos.api_key against the Heimdall emulator', () => {
  it('creates and delivers, converges, rotates near expiry with an overlap, then retires the old token', async () => {
    const r = await rig(KEY);
    const logFile = join(r.dir, 'debug.log');
    setLogger(createLogger({ KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: logFile }));
    const user = r.emu.bootstrap.userId;
    const texts: string[] = [];

    const first = await apply(r);
    texts.push(JSON.stringify(first.plan));
    expect(first.plan.changes).toEqual([
      expect.objectContaining({ action: 'create', owner: '(caller)', after: { token_name: 'presto-driver', duration: '24h' } }),
    ]);
    const token1 = readFileSync(join(r.dir, 'out', 'presto.token'), 'utf8');
    expect(Buffer.from(token1, 'base64').toString()).toMatch(/^presto-driver\.[0-9a-f-]{36}$/);
    expect(await whoIs(r.emu, token1)).toMatchObject({ valid: true, result: { id: user } });
    expect(readFileSync(join(r.dir, 'out', 'presto.env'), 'utf8')).toBe(
      `${MARKER}presto\nPRESTO_EXPIRATION=2025-03-11T10:00:00.000Z\nPRESTO_NAME=presto-driver\nPRESTO_TOKEN=${token1}\nPRESTO_USER=${user}\n`,
    );

    const again = await plan(r);
    texts.push(JSON.stringify(again.plan));
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.diagnostics).toEqual([]);

    // 21 hours later the token expires in 2h23m, inside before_expiry (3h).
    r.clock.now = T0 + 21 * HOUR;
    const rotation = await apply(r);
    texts.push(JSON.stringify(rotation.plan));
    expect(rotation.plan.changes).toEqual([
      expect.objectContaining({
        action: 'rotate',
        reason: 'expiring',
        order: 'create_before_delete',
        overlapMs: HOUR,
        deletes: [],
        notes: [
          'key (caller)/presto-driver expires 2025-03-11T10:00:00.000Z; rotation.before_expiry is 3h',
          'old key (caller)/presto-driver is kept for 1h and retired by a later apply',
        ],
      }),
    ]);
    const token2 = readFileSync(join(r.dir, 'out', 'presto.token'), 'utf8');
    expect(Buffer.from(token2, 'base64').toString()).toMatch(/^presto-driver-2\./);
    // The overlap: both tokens work, both are listed.
    expect(await whoIs(r.emu, token1)).toMatchObject({ valid: true });
    expect(await whoIs(r.emu, token2)).toMatchObject({ valid: true });
    expect(r.emu.listTokens(user).map((t) => t.name)).toEqual(['keyplan-sandbox-bootstrap', 'presto-driver', 'presto-driver-2']);
    // Read through the store: this run holds no lock, so its steps are still in the journal beside state.json.
    const state = await r.ws.store.read();
    expect(state.keys['presto']?.current?.id).toBe('(caller)/presto-driver-2');
    expect(state.keys['presto']?.retiring).toEqual([
      expect.objectContaining({ id: '(caller)/presto-driver', retireAfter: new Date(T0 + 22 * HOUR).toISOString() }),
    ]);

    const during = await plan(r);
    texts.push(JSON.stringify(during.plan));
    expect(during.plan.changes).toEqual([]);

    r.clock.now = T0 + 22 * HOUR + 1;
    const retire = await apply(r);
    texts.push(JSON.stringify(retire.plan));
    expect(retire.plan.changes).toEqual([
      expect.objectContaining({ action: 'retire', reason: 'overlap_elapsed', deletes: [expect.objectContaining({ id: '(caller)/presto-driver' })] }),
    ]);
    expect(r.emu.listTokens(user).map((t) => t.name)).toEqual(['keyplan-sandbox-bootstrap', 'presto-driver-2']);
    expect(await whoIs(r.emu, token1)).toMatchObject({ valid: false });
    const settled = await plan(r);
    expect(settled.plan.changes).toEqual([]);

    // winston writes the file asynchronously; give it a moment before reading.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('"message":"key created"');
    texts.push(JSON.stringify(await r.ws.store.read()), log, JSON.stringify(r.events));
    expect(texts.join('\n')).toContain('presto-driver-2');
    for (const secret of [token1, token2, r.env.DATAOS_APIKEY as string]) {
      for (const text of texts) expect(text.includes(secret)).toBe(false);
    }
  });

  it('refuses to create over a same-named token it does not manage, and leaves that token alone', async () => {
    const r = await rig(KEY);
    const user = r.emu.bootstrap.userId;
    const res = await fetch(`${r.emu.url}/heimdall/api/v1/users/${user}/tokens`, {
      method: 'POST',
      headers: { apikey: r.emu.bootstrap.token },
      body: JSON.stringify({ type: 'apikey', name: 'presto-driver', duration: '48h' }),
    });
    const theirs = ((await res.json()) as { data: { apikey: string } }).data.apikey;
    const planned = await plan(r);
    expect(planned.plan.errored).toBe(true);
    expect(planned.plan.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'KP_PLAN_E0007',
        message: expect.stringContaining('"presto-driver" is already used by (caller)/presto-driver, which keyplan does not manage'),
      }),
    ]);
    expect(planned.plan.unmanaged.map((k) => k.id)).toContain('(caller)/presto-driver');
    expect(JSON.stringify(planned.plan)).not.toContain(theirs);
    expect(r.emu.listTokens(user).filter((t) => t.name.startsWith('presto'))).toEqual([
      expect.objectContaining({ name: 'presto-driver', expiration: '2025-03-12T10:00:00Z' }),
    ]);
    expect(await whoIs(r.emu, theirs)).toMatchObject({ valid: true });
  });

  it('reports a token Heimdall rejects by its variable name, never its value', async () => {
    const bad = Buffer.from('old-token.0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5').toString('base64');
    const r = await rig(KEY, () => bad);
    const err = await plan(r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('rejected the API token from environment variable DATAOS_APIKEY');
    expect(`${(err as Error).message} ${JSON.stringify(r.events)}`).not.toContain(bad);
  });
});
