/**
 * `keyplan state pull` and `keyplan state push` between two local backends: pull prints
 * exactly the stored document, push writes it into another config's backend keeping its
 * lineage and serial, and refuses (changing nothing) another lineage, a serial that is not
 * newer, or a document a read would reject, unless --force where that applies.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyplanState } from '../../model/state.js';
import { LocalStateStore } from '../../state/local-store.js';
import { setCurrent } from '../../state/mutations.js';
import { tempDir } from '../../../test/helpers/cli.js';
import { runMain } from '../../../test/helpers/main-io.js';

const OWNER = 'ocid1.user.oc1..a';

function withKey(state: KeyplanState, name: string): KeyplanState {
  return setCurrent(
    state,
    { name, kind: 'oci.api_key', provider: 'oci', owner: OWNER },
    { id: `fp-${name}`, createdAt: '2025-01-02T03:04:05.000Z', attributes: { user: OWNER } },
  );
}

/** Two configs in one folder, `a.yaml` and `b.yaml`, each with its own local state file. */
function twoConfigs() {
  const dir = tempDir('keyplan-state-move-');
  const config = (name: string): { file: string; statePath: string; store: LocalStateStore } => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(file, `version: 1\nstate: { backend: local, path: ${name}/state.json }\nproviders: {}\nkeys: []\n`);
    const statePath = path.join(dir, name, 'state.json');
    return { file, statePath, store: new LocalStateStore(statePath) };
  };
  return { dir, a: config('a'), b: config('b') };
}

/** Writes `count` states in a row to `store` (serials 1..count), each with one more key. */
async function writeStates(store: LocalStateStore, count: number): Promise<KeyplanState> {
  let state = await store.read();
  for (let i = 0; i < count; i++) state = await store.write(withKey(state, `key${i}`));
  return state;
}

describe('keyplan state pull', () => {
  it('prints the stored document byte for byte', async () => {
    const { a } = twoConfigs();
    await writeStates(a.store, 2);
    const run = await runMain(['state', 'pull', '-f', a.file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(readFileSync(a.statePath, 'utf8'));
    expect(run.stderr).toBe('');
  });

  it('fails when the backend holds no state yet, naming it', async () => {
    const { a } = twoConfigs();
    const run = await runMain(['state', 'pull', '-f', a.file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`there is no state in ${a.statePath} yet`);
  });
});

describe('keyplan state push', () => {
  it('writes a pulled state into another backend with the same lineage and serial', async () => {
    const { dir, a, b } = twoConfigs();
    const source = await writeStates(a.store, 3);
    const pulled = await runMain(['state', 'pull', '-f', a.file]);
    const file = path.join(dir, 'pulled.json');
    writeFileSync(file, pulled.stdout);
    const run = await runMain(['state', 'push', file, '-f', b.file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Pushed ${file} to ${b.statePath} (it held no state): lineage ${source.lineage}, serial 3.\n`);
    expect(readFileSync(b.statePath, 'utf8')).toBe(readFileSync(a.statePath, 'utf8'));
    expect(existsSync(`${b.statePath}.lock`)).toBe(false);
  });

  it('reads the document from stdin with "-"', async () => {
    const { a, b } = twoConfigs();
    await writeStates(a.store, 1);
    const run = await runMain(['state', 'push', '-', '-f', b.file], { stdin: readFileSync(a.statePath, 'utf8') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Pushed stdin to');
    expect(readFileSync(b.statePath, 'utf8')).toBe(readFileSync(a.statePath, 'utf8'));
  });

  it('refuses a serial that is not newer than the stored one, naming both; --force pushes it at a higher serial', async () => {
    const { a, b } = twoConfigs();
    await writeStates(a.store, 2);
    expect((await runMain(['state', 'push', a.statePath, '-f', b.file])).code).toBe(0);
    // b moves on to serial 3; a's serial-2 document is now older.
    await b.store.write(withKey(await b.store.read(), 'later'));
    const before = readFileSync(b.statePath, 'utf8');
    for (const older of [a.statePath, b.statePath]) {
      const run = await runMain(['state', 'push', older, '-f', b.file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`refusing to push ${older}: its serial [23] is not newer than serial 3 of ${b.statePath}`));
      expect(run.stderr).toContain('Pass --force');
      expect(readFileSync(b.statePath, 'utf8')).toBe(before);
    }
    const forced = await runMain(['state', 'push', a.statePath, '-f', b.file, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    const after = await b.store.read();
    expect(after.serial).toBe(4);
    expect(Object.keys(after.keys)).toEqual(['key0', 'key1']);
  });

  it('refuses another lineage, naming both; --force replaces the records and keeps the stored lineage', async () => {
    const { a, b } = twoConfigs();
    const theirs = await writeStates(a.store, 5);
    const ours = await writeStates(b.store, 1);
    const run = await runMain(['state', 'push', a.statePath, '-f', b.file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `refusing to push ${a.statePath}: it has lineage ${theirs.lineage}, but ${b.statePath} has lineage ${ours.lineage}; they are different states`,
    );
    expect(await b.store.read()).toEqual(ours);
    const forced = await runMain(['state', 'push', a.statePath, '-f', b.file, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await b.store.read()).toEqual({ ...theirs, lineage: ours.lineage, serial: 5 });
  });

  it('refuses a document a read would reject, naming the file and the field, and changes nothing', async () => {
    const { dir, a, b } = twoConfigs();
    await writeStates(a.store, 1);
    const stored = await writeStates(b.store, 1);
    const doc = JSON.parse(readFileSync(a.statePath, 'utf8')) as { serial: number; keys: Record<string, { current: { createdAt: string } }> };
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...doc, serial: 9, keys: { key0: { ...doc.keys['key0'], current: { ...doc.keys['key0']?.current, createdAt: 'June 1' } } } }),
    );
    const run = await runMain(['state', 'push', bad, '-f', b.file, '--force']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`state ${bad}: keys.key0.current.createdAt: "June 1" is not an RFC 3339 timestamp`);
    writeFileSync(bad, '{"version": 1,');
    expect((await runMain(['state', 'push', bad, '-f', b.file])).stderr).toContain(`state file ${bad} is not valid JSON`);
    expect((await runMain(['state', 'push', path.join(dir, 'missing.json'), '-f', b.file])).stderr).toContain(`cannot read ${path.join(dir, 'missing.json')}`);
    expect(await b.store.read()).toEqual(stored);
  });

  it('takes no options that mean nothing for the subcommand', async () => {
    const { a } = twoConfigs();
    expect((await runMain(['state', 'pull', '--force', '-f', a.file])).stderr).toContain('--force is only for state push');
    expect((await runMain(['state', 'list', '--lock-timeout', '5s', '-f', a.file])).stderr).toContain('state list takes no lock');
    expect((await runMain(['state', 'push', '-f', a.file])).stderr).toContain('state push needs the FILE to push');
  });
});
