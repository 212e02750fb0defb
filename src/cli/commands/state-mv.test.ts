/**
 * `keyplan state mv OLD NEW` on a local state: refusals change nothing (not one byte of the
 * state file) and say why; a move renames the whole record in one write; usage mistakes
 * name the command's help. The move against a provider is test/e2e/state-mv.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysSchemaBase } from '../../config/schema-base.js';
import { KEY_NAME_MAX_LENGTH, KEY_NAME_PATTERN } from '../../engine-state-mv.js';
import type { KeyplanState } from '../../model/state.js';
import { createIntent, recordIntent } from '../../state/journal.js';
import { LocalStateStore } from '../../state/local-store.js';
import { setCurrent, setPending } from '../../state/mutations.js';
import { tempDir } from '../../../test/helpers/cli.js';
import { runMain } from '../../../test/helpers/main-io.js';
import { holdLock } from '../../../test/helpers/held-lock.js';

const OWNER = 'ocid1.user.oc1..a';
const AT = '2025-01-02T03:04:05.000Z';

function withKey(state: KeyplanState, name: string): KeyplanState {
  return setCurrent(state, { name, kind: 'oci.api_key', provider: 'oci', owner: OWNER }, { id: `fp-${name}`, createdAt: AT, attributes: { user: OWNER } });
}

/** A config declaring nothing and a local state holding keys a and b, changed by `edit` first. */
async function project(edit: (s: KeyplanState) => KeyplanState = (s) => s) {
  const dir = tempDir('keyplan-state-mv-');
  const file = path.join(dir, 'keys.yaml');
  writeFileSync(file, 'version: 1\nproviders: {}\nkeys: []\n');
  const statePath = path.join(dir, '.keyplan', 'state.json');
  const store = new LocalStateStore(statePath);
  await store.write(edit(withKey(withKey(await store.read(), 'a'), 'b')));
  return { file, statePath, bytes: readFileSync(statePath, 'utf8') };
}

describe('keyplan state mv', () => {
  it('moves the record in one write and reminds that keys.yaml must follow', async () => {
    const p = await project();
    const run = await runMain(['state', 'mv', 'a', 'c', '-f', p.file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('Moved a to c in the state (oci.api_key fp-a), serial 2. Nothing was changed at the provider.\n');
    expect(run.stderr).toBe(`Warning: rename a to c in ${p.file} as well; until then plan would delete c.\n`);
    const state = JSON.parse(readFileSync(p.statePath, 'utf8')) as KeyplanState;
    expect(Object.keys(state.keys).sort()).toEqual(['b', 'c']);
    expect(state.keys['c']).toMatchObject({ name: 'c', current: { id: 'fp-a' } });
    expect(existsSync(`${p.statePath}.lock`)).toBe(false);
  });

  it('waits for the state lock with --lock-timeout, and moves once it is released', async () => {
    const p = await project();
    const lock = await holdLock(new LocalStateStore(p.statePath));
    const run = await runMain(['state', 'mv', 'a', 'c', '-f', p.file, '--lock-timeout', '5s'], { onOutput: lock.onOutput });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Waiting for the state lock held by');
    expect(run.stdout).toContain('Moved a to c in the state');
    const held = await holdLock(new LocalStateStore(p.statePath));
    const locked = await runMain(['state', 'mv', 'c', 'd', '-f', p.file]);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`state is locked by`);
    expect(locked.stderr).toContain(held.held.id);
    expect(Object.keys((JSON.parse(readFileSync(p.statePath, 'utf8')) as KeyplanState).keys).sort()).toEqual(['b', 'c']);
  });

  it.each([
    ['an unknown OLD', ['x', 'c'], 'no key named "x" in the state'],
    ['a NEW the state records', ['a', 'b'], 'cannot move a to b: the state already records a key named "b" (oci.api_key fp-b); the state was not changed'],
    ['a NEW that is not a key name', ['a', 'Bad.Name'], 'cannot move a to Bad.Name: "Bad.Name" is not a key name'],
    ['the same name', ['a', 'a'], 'cannot move a to a: the names are the same'],
  ])('refuses %s and changes nothing', async (_what, names, message) => {
    const p = await project();
    const run = await runMain(['state', 'mv', ...names, '-f', p.file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(readFileSync(p.statePath, 'utf8')).toBe(p.bytes);
  });

  it('refuses while a journal entry or an unverified rotation involves the key', async () => {
    const subject = { name: 'a', kind: 'oci.api_key', provider: 'oci', owner: OWNER };
    const journal = await project((s) => recordIntent(s, createIntent({ ...subject, name: 'c' }, 'i-1', AT, 'fp-new')));
    const intent = await runMain(['state', 'mv', 'a', 'c', '-f', journal.file]);
    expect(intent.code).toBe(1);
    expect(intent.stderr).toContain(`an interrupted apply left a journal entry (create of c started ${AT}); run keyplan apply first`);
    expect(readFileSync(journal.statePath, 'utf8')).toBe(journal.bytes);

    const rotating = await project((s) => setPending(s, 'a', { id: 'fp-next', createdAt: AT, attributes: {}, unverifiedSince: AT }));
    const pending = await runMain(['state', 'mv', 'a', 'c', '-f', rotating.file]);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain('its rotation is waiting for the new key fp-next to authenticate; run keyplan apply');
    expect(readFileSync(rotating.statePath, 'utf8')).toBe(rotating.bytes);
  });

  it('needs two names and takes --dry-run only for mv', async () => {
    const p = await project();
    const one = await runMain(['state', 'mv', 'a', '-f', p.file]);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('state mv needs the OLD and the NEW key name');
    const three = await runMain(['state', 'mv', 'a', 'b', 'c', '-f', p.file]);
    expect(three.stderr).toContain('unexpected arguments: c');
    const dry = await runMain(['state', 'rm', 'a', '--dry-run', '-f', p.file]);
    expect(dry.stderr).toContain('--dry-run is only for state mv, not state rm');
    expect(readFileSync(p.statePath, 'utf8')).toBe(p.bytes);
  });

  it('checks NEW with the same name rule as keys.yaml', () => {
    const rule = (keysSchemaBase as { definitions: { name: { pattern: string; maxLength: number } } }).definitions.name;
    expect(KEY_NAME_PATTERN.source).toBe(rule.pattern);
    expect(KEY_NAME_MAX_LENGTH).toBe(rule.maxLength);
  });
});
