/**
 * The promises of the adapter contract (contract.ts), one check each. conformance.ts
 * declares them as a vitest suite; they are plain async functions so a test can also run
 * one against a deliberately broken adapter and see it fail.
 */
import { expect } from 'vitest';
import type { DesiredKey } from '../model/desired.js';
import type { LiveKey } from '../model/live.js';
import type { IntentMatch } from '../model/state.js';
import { CONTRACT_VERSION, type CreateResult, type ProviderAdapter, type SecretMaterial } from './contract.js';
import type { ConformanceHarness } from './conformance.js';

/** One promise of the contract. */
export interface ConformanceCheck {
  /** The promise, as the test is named. */
  readonly name: string;
  /** False when the harness cannot exercise it (no failing create, no update). @default true */
  readonly applies?: (h: ConformanceHarness) => boolean;
  /** Throws (an assertion error) when `adapter` breaks the promise. */
  run(h: ConformanceHarness, adapter: ProviderAdapter): Promise<void>;
}

interface Journalled {
  readonly liveId: string | undefined;
  readonly match: IntentMatch | undefined;
  /** The provider's ids in the key's scope when recordIntent was called, and after it had waited. */
  readonly truthAtCall: readonly string[];
  readonly truthAfterWait: readonly string[];
}

/** How long the journal in the ordering checks takes: long enough for an unawaited call to land. */
const SLOW_JOURNAL_MS = 40;
/** Verify attempts (and the pause between them) before a created key must authenticate. */
const VERIFY_ATTEMPTS = 10;
const VERIFY_PAUSE_MS = 300;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Creates `key` through a slow journal that notes what the provider held while it ran. */
async function create(h: ConformanceHarness, adapter: ProviderAdapter, key: DesiredKey, journal: Journalled[] = []): Promise<CreateResult> {
  const pending = new Set<Promise<void>>();
  const result = await adapter.create({
    key,
    passphrase: h.passphrase?.(key) ?? null,
    token: `conformance-${key.name}-${Math.random().toString(36).slice(2)}`,
    recordIntent: (liveId, match) => {
      const entry = (async () => {
        const truthAtCall = await h.truth(key);
        await sleep(SLOW_JOURNAL_MS);
        journal.push({ liveId, match, truthAtCall, truthAfterWait: await h.truth(key) });
      })();
      pending.add(entry);
      return entry.finally(() => pending.delete(entry));
    },
  });
  const unsettled = pending.size;
  await Promise.allSettled([...pending]);
  expect(unsettled, 'create returned before its recordIntent resolved: the provider acted before recordIntent resolved').toBe(0);
  return result;
}

const listKeys = async (adapter: ProviderAdapter, key: DesiredKey): Promise<LiveKey[]> => [...(await adapter.list({ kind: key.kind, owner: key.owner })).keys];

const sorted = (ids: readonly string[]): string[] => [...ids].sort();

/** The secret strings a create handed out, and the body lines of PEMs among them (a line may leak alone). */
function secretTexts(material: SecretMaterial, passphrase: string | undefined): string[] {
  const whole = [material.file.reveal(), ...Object.values(material.secrets).map((s) => s.reveal()), ...(passphrase ? [passphrase] : [])];
  const pems = whole.filter((t) => t.includes('-----BEGIN'));
  const lines = pems.flatMap((t) => t.split('\n')).filter((l) => l.length >= 16 && !l.startsWith('-----') && !l.includes(':'));
  return [...new Set([...whole, ...lines].filter((t) => t.length > 0))];
}

async function deleteWithJournal(
  h: ConformanceHarness,
  adapter: ProviderAdapter,
  key: DesiredKey,
  id: string,
): Promise<{ atCall: boolean; afterWait: boolean }[]> {
  const seen: { atCall: boolean; afterWait: boolean }[] = [];
  await adapter.delete({
    kind: key.kind,
    owner: key.owner,
    id,
    recordIntent: async () => {
      const atCall = (await h.truth(key)).includes(id);
      await sleep(SLOW_JOURNAL_MS);
      seen.push({ atCall, afterWait: (await h.truth(key)).includes(id) });
    },
  });
  return seen;
}

/** Every check, in the order the suite declares them. */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  {
    name: 'declares contract version 1',
    async run(_h, adapter) {
      expect(adapter.contractVersion).toBe(CONTRACT_VERSION);
      expect(CONTRACT_VERSION).toBe(1);
    },
  },
  {
    name: 'lists a created key under the id create returned, with the declared and computed attributes',
    async run(h, adapter) {
      const key = await h.newKey();
      const { live, material } = await create(h, adapter, key);
      const expected = h.expectedAttributes?.(key) ?? key.attributes;
      expect(live).toMatchObject({ provider: key.provider, kind: key.kind, owner: key.owner, attributes: expected });
      for (const name of h.spec.computed) expect(live.attributes, `computed attribute ${name}`).toHaveProperty(name);
      for (const name of h.spec.sensitive) expect(material.secrets, `sensitive value ${name}`).toHaveProperty(name);
      const listed = (await listKeys(adapter, key)).filter((k) => k.id === live.id);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ provider: key.provider, kind: key.kind, owner: key.owner, attributes: expected });
      expect(await h.truth(key)).toContain(live.id);
    },
  },
  {
    name: 'lists every key of a scope, across pages, exactly as the provider holds them',
    async run(h, adapter) {
      const first = await h.newKey();
      const created = [(await create(h, adapter, first)).live.id];
      for (let i = 1; i < (h.keysPerScope ?? 3); i++) created.push((await create(h, adapter, await h.newKey(first))).live.id);
      const ids = (await listKeys(adapter, first)).map((k) => k.id);
      expect(new Set(ids).size, 'no key listed twice').toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(created));
      expect(sorted(ids)).toEqual(sorted(await h.truth(first)));
    },
  },
  {
    name: 'lists the same keys when told what state recorded about them',
    async run(h, adapter) {
      const first = await h.newKey();
      const second = await h.newKey(first);
      const made = [await create(h, adapter, first), await create(h, adapter, second)];
      // What apply records: the declared attributes plus the computed ones the provider reported.
      const knownAttributes = Object.fromEntries(
        made.map(({ live }, i) => {
          const declared = (i === 0 ? first : second).attributes;
          const computed = Object.fromEntries(h.spec.computed.flatMap((n) => (live.attributes[n] === undefined ? [] : [[n, live.attributes[n]]])));
          return [live.id, { ...declared, ...computed }];
        }),
      );
      const plain = await listKeys(adapter, first);
      const informed = [...(await adapter.list({ kind: first.kind, owner: first.owner, known: Object.keys(knownAttributes), knownAttributes })).keys];
      expect(informed.map((k) => ({ id: k.id, attributes: k.attributes }))).toEqual(plain.map((k) => ({ id: k.id, attributes: k.attributes })));
    },
  },
  {
    name: 'lists a scope that holds no key as empty',
    async run(h, adapter) {
      const key = await h.newKey();
      expect(await h.truth(key), 'newKey gives a scope of its own').toEqual([]);
      expect((await adapter.list({ kind: key.kind, owner: key.owner })).keys).toEqual([]);
    },
  },
  {
    name: 'makes no key when the signal is already aborted',
    async run(h, adapter) {
      const key = await h.newKey();
      const controller = new AbortController();
      controller.abort(new Error('interrupted'));
      const req = {
        key,
        passphrase: h.passphrase?.(key) ?? null,
        token: `conformance-${key.name}`,
        recordIntent: async () => undefined,
        signal: controller.signal,
      };
      await expect(adapter.create(req)).rejects.toBeInstanceOf(Error);
      expect(await h.truth(key)).toEqual([]);
    },
  },
  {
    name: 'returns no key material from list or in the created live key',
    async run(h, adapter) {
      const key = await h.newKey();
      const { live, material } = await create(h, adapter, key);
      const secrets = secretTexts(material, h.passphrase?.(key)?.reveal());
      expect(secrets.length, 'a create hands out at least one secret, or the check proves nothing').toBeGreaterThan(0);
      const texts = [JSON.stringify(live), JSON.stringify(await adapter.list({ kind: key.kind, owner: key.owner }))];
      for (const text of texts) for (const secret of secrets) expect(text.includes(secret), 'key material in a live record').toBe(false);
    },
  },
  {
    name: 'awaits recordIntent before creating: a slow journal sees no new key, and an intent names the key made',
    async run(h, adapter) {
      const key = await h.newKey();
      const before = await h.truth(key);
      const journal: Journalled[] = [];
      const { live } = await create(h, adapter, key, journal);
      expect(journal).toHaveLength(1);
      const [j] = journal as [Journalled];
      expect(sorted(j.truthAtCall)).toEqual(sorted(before));
      expect(sorted(j.truthAfterWait), 'the provider acted before recordIntent resolved').toEqual(sorted(before));
      if (j.liveId !== undefined) expect(j.liveId).toBe(live.id);
      const listed = (await listKeys(adapter, key)).find((k) => k.id === live.id);
      // An interrupted create is found by its match attribute; the live key must carry it.
      if (j.match !== undefined) expect(listed?.attributes[j.match.attribute], `attribute ${j.match.attribute}`).toBe(j.match.value);
      expect(j.liveId !== undefined || j.match !== undefined || listed?.marker === key.name, 'the intent or a marker finds the key').toBe(true);
    },
  },
  {
    name: 'makes no key when recordIntent fails',
    async run(h, adapter) {
      const key = await h.newKey();
      const before = await h.truth(key);
      const failing = adapter.create({
        key,
        passphrase: h.passphrase?.(key) ?? null,
        token: `conformance-${key.name}`,
        recordIntent: async () => Promise.reject(new Error('journal unavailable')),
      });
      await expect(failing).rejects.toThrow('journal unavailable');
      expect(sorted(await h.truth(key))).toEqual(sorted(before));
    },
  },
  {
    name: 'leaves no key when create fails at the provider',
    applies: (h) => h.failingCreate !== undefined,
    async run(h, adapter) {
      const key = await h.newKey();
      const failing = await h.failingCreate?.(key);
      const before = await h.truth(key);
      await expect(create(h, failing?.adapter ?? adapter, failing?.key ?? key)).rejects.toBeInstanceOf(Error);
      if (failing?.struck !== undefined) expect(failing.struck(), 'the arranged failure struck').toBe(true);
      expect(sorted(await h.truth(key))).toEqual(sorted(before));
    },
  },
  {
    name: 'survives a lost create answer: the key exists once under the id create returned, or not at all',
    applies: (h) => h.loseCreateAnswer !== undefined,
    async run(h, adapter) {
      const key = await h.newKey();
      const lossy = await h.loseCreateAnswer?.(key);
      const before = await h.truth(key);
      const outcome = await create(h, lossy?.adapter ?? adapter, lossy?.key ?? key).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      if (lossy?.struck !== undefined) expect(lossy.struck(), 'the answer was really lost').toBe(true);
      const after = await h.truth(key);
      const added = after.filter((id) => !before.includes(id));
      if (outcome instanceof Error) expect(added, `create threw (${outcome.message}) yet left a key`).toEqual([]);
      else expect(added, 'create succeeded: exactly its key is new').toEqual([outcome.live.id]);
      expect(
        before.filter((id) => !after.includes(id)),
        'no other key went away',
      ).toEqual([]);
    },
  },
  {
    name: 'deletes a key after awaiting recordIntent, and list no longer has it',
    async run(h, adapter) {
      const key = await h.newKey();
      const { live } = await create(h, adapter, key);
      const seen = await deleteWithJournal(h, adapter, key, live.id);
      expect(seen, 'recordIntent called once, before the key went away').toEqual([{ atCall: true, afterWait: true }]);
      expect(await h.truth(key)).not.toContain(live.id);
      expect((await listKeys(adapter, key)).map((k) => k.id)).not.toContain(live.id);
    },
  },
  {
    name: 'succeeds deleting a key that is already gone',
    async run(h, adapter) {
      const key = await h.newKey();
      const { live } = await create(h, adapter, key);
      await deleteWithJournal(h, adapter, key, live.id);
      await expect(deleteWithJournal(h, adapter, key, live.id)).resolves.toEqual([{ atCall: false, afterWait: false }]);
      expect(await h.truth(key)).not.toContain(live.id);
    },
  },
  {
    name: 'updates updatable attributes in place',
    applies: (h) => h.updateCase !== undefined && h.spec.updatable.length > 0,
    async run(h, adapter) {
      const key = await h.newKey();
      const { live } = await create(h, adapter, key);
      const update = h.updateCase?.(key);
      if (update === undefined || adapter.update === undefined) throw new Error('Expected the adapter to have update, as the harness says');
      for (const name of Object.keys(update.changes)) expect(h.spec.updatable, `attribute ${name}`).toContain(name);
      const res = await adapter.update({ key: update.key, live, changes: update.changes });
      const expected = h.expectedAttributes?.(update.key) ?? update.key.attributes;
      expect(res.live).toMatchObject({ id: live.id, attributes: expected });
      expect((await listKeys(adapter, key)).find((k) => k.id === live.id)).toMatchObject({ attributes: expected });
      expect(await h.truth(key)).toContain(live.id);
    },
  },
  {
    name: 'verifies a created key: authenticated (retried while it propagates), rejected once deleted, no secret in the reason',
    applies: (h) => h.verifies !== false,
    async run(h, adapter) {
      if (adapter.verify === undefined) throw new Error('Expected the adapter to have verify (set `verifies: false` in the harness for kinds that cannot)');
      const key = await h.newKey();
      const created = await create(h, adapter, key);
      const passphrase = h.passphrase?.(key) ?? null;
      const request = { key, live: created.live, material: created.material, passphrase };
      let result = await adapter.verify(request);
      // A provider may take a moment to accept a new key (the engine retries the same way, longer).
      for (let attempt = 1; attempt < VERIFY_ATTEMPTS && result.outcome === 'rejected'; attempt += 1) {
        await sleep(VERIFY_PAUSE_MS);
        result = await adapter.verify(request);
      }
      expect(result).toEqual({ outcome: 'authenticated' });
      await deleteWithJournal(h, adapter, key, created.live.id);
      const gone = await adapter.verify(request);
      expect(gone.outcome, 'a deleted key does not authenticate').toBe('rejected');
      const reason = gone.outcome === 'rejected' ? gone.reason : '';
      for (const secret of secretTexts(created.material, passphrase?.reveal())) expect(reason).not.toContain(secret);
    },
  },
];
