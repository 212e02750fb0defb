/**
 * The postgres backend through the engine, as a team uses it: two working copies (two
 * folders, like two CI runners) with the same keys.yaml share one database. The provider
 * is the in-memory fake, one cloud shared by both copies; the database is a real server.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Workspace, type ApplyOutcome } from '../../src/engine.js';
import { StateLockError } from '../../src/errors/errors.js';
import { createLogger, logger, setLogger } from '../../src/log/logger.js';
import { Secret } from '../../src/model/secret.js';
import { FakeCloud, createFakeProvider, type FakeCreateInput } from '../../src/providers/fake/index.js';
import { ProviderRegistry, SHIPPED_PROVIDERS } from '../../src/providers/registry.js';
import type { Reporter } from '../../src/report/reporter.js';
import { PostgresStateStore } from '../../src/state/postgres/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres-db.js';

let db: TestDatabase;
let logFile: string;
let logDir: string;
const previousLogger = logger();
beforeAll(async () => {
  db = await createTestDatabase();
  // Every debug line of these runs goes to a file, which must never hold the password.
  logDir = mkdtempSync(path.join(tmpdir(), 'keyplan-pg-log-'));
  logFile = path.join(logDir, 'debug.log');
  setLogger(createLogger({ KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: logFile }));
  // The run's one server may still be starting (postgres-global-setup.ts).
}, 120_000);
afterAll(async () => {
  setLogger(previousLogger);
  await db?.close();
  rmSync(logDir, { recursive: true, force: true });
});

/** Every message any run reported, for the password check. */
const messages: string[] = [];

function keysYaml(stateName: string, count: number): string {
  const keys = Array.from({ length: count }, (_, i) =>
    [`  - name: bot-${i}`, '    kind: fake.token', '    provider: vault', '    owner_name: ci', `    outputs: [{ type: file, path: out/bot-${i}.token }]`].join(
      '\n',
    ),
  );
  return `version: 1\nstate: { backend: postgres, url_env: KEYPLAN_PG_URL, name: ${stateName} }\nproviders:\n  vault: { type: fake }\nkeys:\n${keys.join('\n')}\n`;
}

/** A working copy: its own folder holding keys.yaml. */
function copy(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyplan-pg-copy-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'keys.yaml'), text);
  return path.join(dir, 'keys.yaml');
}

const reporter: Reporter = { notify: (event) => void messages.push(event.message) };

async function open(file: string, cloud: FakeCloud): Promise<Workspace> {
  const providers = new ProviderRegistry([...SHIPPED_PROVIDERS, createFakeProvider(cloud)]);
  const ws = await Workspace.open(file, { env: { KEYPLAN_PG_URL: db.url }, reporter, providers }, { checkEnv: true });
  onTestFinished(() => ws.close());
  return ws;
}

async function applyIn(file: string, cloud: FakeCloud, options = {}): Promise<ApplyOutcome> {
  return (await open(file, cloud)).planAndApply({}, {}, options);
}

async function changesIn(file: string, cloud: FakeCloud): Promise<string[]> {
  const { plan } = await (await open(file, cloud)).planLocked();
  return plan.changes.map((c) => `${c.action} ${c.name}`);
}

let names = 0;
const stateName = (): string => `team${++names}`;

/** A cloud that runs `before` ahead of its `nth` create, once (the create's intent is already written). */
class CloudWithHook extends FakeCloud {
  #creates = 0;
  constructor(
    readonly nth: number,
    readonly before: () => Promise<void>,
  ) {
    super();
  }
  override async create(input: FakeCreateInput, signal?: AbortSignal): ReturnType<FakeCloud['create']> {
    this.#creates += 1;
    if (this.#creates === this.nth) await this.before();
    return super.create(input, signal);
  }
}

describe('two working copies sharing one postgres state', () => {
  it('sees in one copy what the other applied, rotations included', async () => {
    const cloud = new FakeCloud();
    const text = keysYaml(stateName(), 2);
    const [first, second] = [copy(text), copy(text)];
    expect((await applyIn(first, cloud)).kind).toBe('applied');
    expect(await changesIn(second, cloud)).toEqual([]);
    const rotated = await (await open(second, cloud)).planAndApply({ rotate: ['bot-0'] }, {});
    expect(rotated.kind).toBe('applied');
    const state = await (await open(first, cloud)).readState();
    expect(state.keys['bot-0']?.current.id).toBe(cloud.keys().find((k) => k.marker === 'bot-0')?.id);
    expect(await changesIn(first, cloud)).toEqual([]);
    expect(cloud.keys()).toHaveLength(2);
  });

  it('lets exactly one of two applies started together proceed; the other gets the lock message', async () => {
    // The first create waits until one run was refused, so the winner surely holds the lock meanwhile.
    let refusedOne: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      refusedOne = resolve;
      setTimeout(resolve, 10_000);
    });
    const cloud = new CloudWithHook(1, () => gate);
    const text = keysYaml(stateName(), 3);
    const runs = [applyIn(copy(text), cloud), applyIn(copy(text), cloud)];
    for (const run of runs) run.catch(() => refusedOne());
    const results = await Promise.allSettled(runs);
    const applied = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(applied).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toBeInstanceOf(StateLockError);
    expect((refused[0]?.reason as Error).message).toMatch(/^state is locked by .+@.+ \(pid \d+, operation apply, since .+\); lock ID: [0-9a-f-]+\./);
    expect(
      cloud
        .keys()
        .map((k) => k.marker)
        .sort(),
    ).toEqual(['bot-0', 'bot-1', 'bot-2']);
  });
});

async function terminateStateSession(name: string): Promise<void> {
  const row = await db.query<{ backend_pid: number }>('SELECT backend_pid FROM keyplan.locks WHERE state = $1', [name]);
  await db.query('SELECT pg_terminate_backend($1, 5000)', [row.rows[0]?.backend_pid]);
}

/** What the copies must agree on once converged: every key recorded, none orphaned, every secret delivered (in one of `copies`). */
async function expectConverged(file: string, cloud: FakeCloud, count: number, copies: readonly string[] = [file]): Promise<void> {
  expect(await changesIn(file, cloud)).toEqual([]);
  const state = await (await open(file, cloud)).readState();
  expect(
    cloud
      .keys()
      .map((k) => k.id)
      .sort(),
  ).toEqual(
    Object.values(state.keys)
      .map((k) => k.current.id)
      .sort(),
  );
  expect(Object.keys(state.keys)).toHaveLength(count);
  expect(state.intents).toEqual([]);
  for (let i = 0; i < count; i++) {
    const delivered = copies.map((f) => path.join(path.dirname(f), `out/bot-${i}.token`)).filter((p) => existsSync(p));
    expect(delivered.length).toBeGreaterThan(0);
    for (const output of delivered) expect(cloud.issuedSecrets).toContain(readFileSync(output, 'utf8'));
  }
}

describe('the state connection lost in the middle of an apply', () => {
  it('records the step in flight on a new connection, starts no further change, and the next run converges', async () => {
    const name = stateName();
    const cloud = new CloudWithHook(2, () => terminateStateSession(name));
    const file = copy(keysYaml(name, 4));
    const outcome = await applyIn(file, cloud, { parallelism: 1 });
    if (outcome.kind !== 'applied') throw new Error(`expected applied, got ${outcome.kind}`);
    expect(outcome.result.counts).toMatchObject({ created: 2, failed: 0, skipped: 2 });
    expect(messages.some((m) => m.includes(`postgres state "${name}": the connection to the database was lost`))).toBe(true);
    expect(cloud.keys()).toHaveLength(2);
    const other = copy(keysYaml(name, 4));
    expect((await applyIn(other, cloud)).kind).toBe('applied');
    await expectConverged(other, cloud, 4, [file, other]);
  });

  it('fails the step whose change cannot be recorded, and the next run repairs it from the journal', async () => {
    const name = stateName();
    let intruder: PostgresStateStore | undefined;
    const cloud = new CloudWithHook(2, async () => {
      await terminateStateSession(name);
      // Another runner takes the free lock before this run can take it again.
      intruder = new PostgresStateStore({ name, target: { urlEnv: 'KEYPLAN_PG_URL', url: new Secret(db.url) } });
      await intruder.lock('plan');
    });
    onTestFinished(() => intruder?.close());
    const file = copy(keysYaml(name, 3));
    const outcome = await applyIn(file, cloud, { parallelism: 1 });
    if (outcome.kind !== 'applied') throw new Error(`expected applied, got ${outcome.kind}`);
    expect(outcome.result.counts).toMatchObject({ created: 1, failed: 1, skipped: 1 });
    expect(messages.some((m) => m.includes('bot-1: creation failed') && m.includes('another run holds it now'))).toBe(true);
    // The created key is in the cloud but not recorded: only its intent is.
    expect(cloud.keys()).toHaveLength(2);
    await intruder?.close();
    expect((await applyIn(file, cloud)).kind).toBe('applied');
    await expectConverged(file, cloud, 3);
    expect(existsSync(logFile)).toBe(true);
  });
});

describe('the database password', () => {
  it('appears in no reported message, error or debug log line', async () => {
    const cloud = new FakeCloud();
    const file = copy(keysYaml(stateName(), 1));
    await applyIn(file, cloud);
    const errors: string[] = [];
    const badPort = new URL(db.url);
    badPort.port = '1';
    const wrongPassword = new URL(db.url);
    wrongPassword.password = `${db.password}x`;
    for (const url of [badPort.toString(), wrongPassword.toString()]) {
      const providers = new ProviderRegistry([...SHIPPED_PROVIDERS, createFakeProvider(cloud)]);
      const ws = await Workspace.open(file, { env: { KEYPLAN_PG_URL: url }, reporter, providers }, { checkEnv: true });
      onTestFinished(() => ws.close());
      await ws.planLocked().catch((error: Error) => errors.push(`${error.message} ${String(error.cause ?? '')}`));
    }
    expect(errors).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('state lock');
    for (const text of [...messages, ...errors, log]) expect(text).not.toContain(db.password);
  });
});
