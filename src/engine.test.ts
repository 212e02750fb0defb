/**
 * The Workspace operations the CLI calls: the lock is released on every path, saved
 * plans that moved are refused before anything changes, state rm is all-or-nothing, and
 * an apply that is refused or cancelled touches neither the provider nor the state.
 * A recording adapter stands in for OCI, so nothing here touches the network.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './cli/main.js';
import type { CliIo } from './cli/io.js';
import { Workspace, type ApplyHooks, type EngineHost } from './engine.js';
import { StateLockError } from './errors/errors.js';
import type { LiveKey } from './model/live.js';
import { StalePlanError } from './plan/planfile.js';
import { CONTRACT_VERSION, type ProviderAdapter } from './providers/contract.js';
import { silentReporter } from './report/reporter.js';
import { tempDir } from '../test/helpers/cli.js';
import { live, record, state } from '../test/helpers/plan-fixtures.js';
import { ProviderRegistry, SHIPPED_PROVIDERS } from './providers/registry.js';

const USER = 'ocid1.user.oc1..a';
const key = (name: string): string => `  - name: ${name}
    kind: oci.api_key
    provider: oci
    user: ${USER}
    passphrase: { env: PASS }
    outputs: [ { type: file, path: out/${name}.pem } ]
`;
const CONFIG = `version: 1\nproviders:\n  oci: { type: oci, region: eu-frankfurt-1 }\nkeys:\n${key('ci')}${key('web')}`;

/** An adapter that lists `keys` and records every mutating call (none is expected to succeed). */
function recordingAdapter(keys: readonly LiveKey[] = []) {
  const calls: string[] = [];
  const adapter: ProviderAdapter = {
    contractVersion: CONTRACT_VERSION,
    configure: async () => undefined,
    list: async (req) => ({ keys: keys.filter((k) => k.kind === req.kind && k.owner === req.owner) }),
    create: async (req) => {
      calls.push(`create ${req.key.name}`);
      throw new Error('create is not expected here');
    },
    delete: async (req) => {
      calls.push(`delete ${req.id}`);
      throw new Error('delete is not expected here');
    },
    close: async () => undefined,
  };
  return { adapter, calls };
}

/** A project folder with keys.yaml; `open` opens a workspace on it with the recording adapter. */
function project(keys: readonly LiveKey[] = [], env: Record<string, string> = { PASS: 'engine-test-pass' }) {
  const dir = tempDir('keyplan-engine-');
  const file = path.join(dir, 'keys.yaml');
  writeFileSync(file, CONFIG);
  const { adapter, calls } = recordingAdapter(keys);
  // The shipped oci provider with this adapter in place of the SDK one.
  const providers = new ProviderRegistry(SHIPPED_PROVIDERS.map((p) => (p.type === 'oci' ? { ...p, createAdapter: async () => adapter } : p)));
  const host = (signal?: AbortSignal): EngineHost => ({ env, reporter: silentReporter, providers, ...(signal ? { signal } : {}) });
  const open = (signal?: AbortSignal) => Workspace.open(file, host(signal), { checkEnv: false });
  const stateFile = path.join(dir, '.keyplan', 'state.json');
  return { dir, file, calls, open, stateFile };
}

/** Whether another run could take the lock now. */
async function lockIsFree(ws: Workspace): Promise<boolean> {
  try {
    const lock = await ws.store.lock('probe');
    await ws.store.unlock(lock.id);
    return true;
  } catch (error) {
    if (error instanceof StateLockError) return false;
    throw error;
  }
}

describe('Workspace.withLock', () => {
  it('holds the lock while the body runs and releases it when the body throws', async () => {
    const p = project();
    const ws = await p.open();
    const other = await p.open();
    let heldDuring: boolean | undefined;
    await expect(
      ws.withLock('apply', async () => {
        heldDuring = !(await lockIsFree(other));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(heldDuring).toBe(true);
    expect(await lockIsFree(other)).toBe(true);
    await Promise.all([ws.close(), other.close()]);
  });

  it('releases the lock when the host signal aborts the body (Ctrl-C)', async () => {
    const p = project();
    const controller = new AbortController();
    const ws = await p.open(controller.signal);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const run = ws.withLock(
      'apply',
      (s) =>
        new Promise((_, reject) => {
          controller.signal.addEventListener('abort', () => reject(new Error(`interrupted at serial ${s.serial}`)));
          started();
        }),
    );
    await running;
    controller.abort();
    await expect(run).rejects.toThrow('interrupted at serial 0');
    expect(await lockIsFree(ws)).toBe(true);
    await ws.close();
  });
});

describe('Workspace.planAndApply', () => {
  it('refuses a plan whose passphrase is not set, releases the lock, and changes nothing', async () => {
    const p = project([], {});
    const ws = await p.open();
    const hooks: ApplyHooks = { approve: async () => true };
    await expect(ws.planAndApply({}, hooks)).rejects.toThrow('set the passphrase variable(s) PASS before apply; nothing was changed');
    expect(p.calls).toEqual([]);
    expect(existsSync(p.stateFile)).toBe(false);
    expect(await lockIsFree(ws)).toBe(true);
    await ws.close();
  });

  it('shows the plan before asking, and a "no" changes nothing', async () => {
    const p = project();
    const ws = await p.open();
    const seen: string[] = [];
    const outcome = await ws.planAndApply(
      {},
      {
        planned: (plan) => seen.push(`planned ${plan.summary.create}`),
        approve: async () => (seen.push('asked'), false),
        applying: () => seen.push('applying'),
      },
    );
    expect(outcome.kind).toBe('cancelled');
    expect(seen).toEqual(['planned 2', 'asked']);
    expect(p.calls).toEqual([]);
    expect(existsSync(p.stateFile)).toBe(false);
    expect(await lockIsFree(ws)).toBe(true);
    await ws.close();
  });
});

describe('Workspace.removeState', () => {
  it('forgets the named keys in one write, and an unknown name refuses the lot', async () => {
    const p = project([live('aa'), live('bb')]);
    const ws = await p.open();
    await ws.store.write(state([record('ci', 'aa'), record('web', 'bb')]));
    const before = readFileSync(p.stateFile, 'utf8');
    await expect(ws.removeState(['ci', 'nope'])).rejects.toThrow('no key named "nope" in the state');
    expect(readFileSync(p.stateFile, 'utf8')).toBe(before);

    const written = await ws.removeState(['ci', 'web']);
    expect(Object.keys(written.keys)).toEqual([]);
    expect(written.serial).toBe(JSON.parse(before).serial + 1);
    expect(await ws.readState()).toEqual(written);
    expect(p.calls).toEqual([]);
    expect(await lockIsFree(ws)).toBe(true);
    await ws.close();
  });
});

describe('saved plans', () => {
  /** Saves a plan of `p` to plan.kp and returns its path. */
  async function savePlan(p: ReturnType<typeof project>): Promise<string> {
    const ws = await p.open();
    try {
      const planFile = path.join(p.dir, 'plan.kp');
      await ws.savePlan(planFile, await ws.planLocked());
      return planFile;
    } finally {
      await ws.close();
    }
  }

  it('refuses a plan made from another config with exit 3, before reading state or taking the lock', async () => {
    const p = project();
    const planFile = await savePlan(p);
    writeFileSync(p.file, `${CONFIG}# edited after planning\n`);
    const keyplanDir = path.join(p.dir, '.keyplan');
    const before = readdirSync(keyplanDir);
    await expect(Workspace.readSavedPlan(planFile)).rejects.toThrow(StalePlanError);

    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let errText = '';
    stderr.on('data', (d: Buffer) => (errText += d.toString()));
    const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env: { PASS: 'engine-test-pass' }, color: false, colorErr: false, interactive: false };
    expect(await main(['apply', planFile], io)).toBe(3);
    expect(errText).toMatch(/the config .*keys\.yaml changed since the plan was made/);
    // The plan run left the folder of the lock file; apply wrote no state and took no lock.
    expect(readdirSync(keyplanDir)).toEqual(before);
    expect(existsSync(p.stateFile)).toBe(false);
    expect(existsSync(path.join(p.dir, 'out'))).toBe(false);
    expect(p.calls).toEqual([]);
  });

  it('refuses a plan the state moved away from, naming the serials, and changes nothing', async () => {
    const p = project();
    const planFile = await savePlan(p);
    const ws = await p.open();
    await ws.store.write(state([record('other', 'cc')]));
    const before = readFileSync(p.stateFile, 'utf8');

    const checked = await Workspace.readSavedPlan(planFile);
    const error = await ws.applySaved(checked, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StalePlanError);
    expect((error as StalePlanError).reasons.join('\n')).toContain(
      'the state was created since the plan was made (none then, serial 2 now): another apply ran',
    );
    expect(readFileSync(p.stateFile, 'utf8')).toBe(before);
    expect(p.calls).toEqual([]);
    expect(await lockIsFree(ws)).toBe(true);
    await ws.close();
  });
});
