/**
 * `fake.token`: the fake provider's one kind. A token belongs to an owner (`owner_name`,
 * whose change replaces it), carries an optional `label` that changes in place and is
 * unique per owner, gets its id (`token_id`) from the cloud and returns a secret `token`.
 * An owner holds at most 5.
 */
import type { Diagnostic } from '../../errors/diagnostic.js';
import type { DesiredKey } from '../../model/desired.js';
import type { KindSpec, ValidateRequest } from '../contract.js';
import type { KindEntry, KindMapping, KindModule } from '../module.js';
import { FAKE_CODES } from './codes.js';

/** The kind's name. */
export const FAKE_TOKEN_KIND = 'fake.token';

/** Tokens one owner may hold, at the cloud and in the planner's quota. */
export const FAKE_TOKENS_PER_OWNER = 5;

/** Static metadata of `fake.token`. */
export const fakeToken: KindSpec = {
  kind: FAKE_TOKEN_KIND,
  providerType: 'fake',
  quota: { group: 'fake.tokens', perOwner: FAKE_TOKENS_PER_OWNER, authority: 'The fake cloud', noun: 'tokens' },
  replaceOn: ['owner_name'],
  updatable: ['label'],
  computed: ['token_id'],
  sensitive: ['token'],
  rotationOrder: 'create_before_delete',
  canDeactivate: true,
};

/** keys.yaml fields of a `fake.token` entry. */
const schema = {
  description: 'A token of the in-memory fake provider (tests only).',
  properties: {
    name: true,
    kind: true,
    provider: true,
    depends_on: true,
    rotation: true,
    outputs: true,
    owner_name: { type: 'string', minLength: 1, description: 'Owner of the token; a change replaces it.' },
    label: { type: 'string', maxLength: 64, description: 'Free text, unique per owner; changes in place.' },
  },
  required: ['owner_name'],
} as const;

function map(entry: KindEntry): KindMapping {
  const owner = String(entry['owner_name']);
  const label = typeof entry['label'] === 'string' ? entry['label'] : '';
  return { owner, attributes: { owner_name: owner, label } };
}

/** The kind module the fake provider lists. */
export const fakeTokenModule: KindModule = { spec: fakeToken, schema, map };

/** Offline check: two keys of one owner may not declare the same non-empty label (the cloud refuses it). */
export function validateFake(req: ValidateRequest): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const key of req.keys) {
    if (key.kind !== FAKE_TOKEN_KIND) continue;
    const label = key.attributes['label'];
    if (typeof label !== 'string' || label === '') continue;
    const slot = `${key.owner}\u0000${label}`;
    const first = seen.get(slot);
    if (first === undefined) {
      seen.set(slot, key.name);
      continue;
    }
    out.push({
      severity: 'error',
      code: FAKE_CODES.labelTaken,
      message: `key "${key.name}": label "${label}" is already used by key "${first}" of owner "${key.owner}"`,
      ...(req.at?.(key, 'label') ?? (key.source !== undefined ? { range: key.source } : {})),
    });
  }
  return out;
}

/** What `fakeTokenKey` needs; the rest takes test-friendly defaults. */
export interface FakeTokenKeyInput {
  readonly name: string;
  readonly owner: string;
  readonly label?: string;
  /** Provider block name. @default 'fake' */
  readonly provider?: string;
  readonly dependsOn?: readonly string[];
  readonly outputs?: DesiredKey['outputs'];
}

/** A declared `fake.token` key as config would build it (no passphrase, no rotation policy). */
export function fakeTokenKey(input: FakeTokenKeyInput): DesiredKey {
  return {
    name: input.name,
    kind: FAKE_TOKEN_KIND,
    provider: input.provider ?? 'fake',
    owner: input.owner,
    attributes: { owner_name: input.owner, label: input.label ?? '' },
    passphrase: { none: true },
    outputs: input.outputs ?? [],
    dependsOn: input.dependsOn ?? [],
    rotation: { overlapMs: 0, requireOverlap: false },
  };
}
