import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { PlannedChange } from '../../src/model/plan.js';
import { jsonActions, planDocument, renderPlanJson, PLAN_FORMAT_VERSION } from '../../src/render/json.js';
import { planOf } from './golden-cases.js';

const schema: unknown = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema as object);

const USER = 'ocid1.user.oc1..a';
const rotate: PlannedChange = {
  address: 'oci.api_key.ci',
  name: 'ci',
  kind: 'oci.api_key',
  provider: 'oci',
  owner: USER,
  action: 'rotate',
  reason: 'max_age',
  order: 'create_before_delete',
  before: { user: USER, fingerprint: 'aa:bb', bits: 2048 },
  after: { user: USER, bits: 2048 },
  computed: ['fingerprint'],
  sensitive: ['private_key'],
  deletes: [{ provider: 'oci', kind: 'oci.api_key', owner: USER, id: 'aa:bb' }],
  dependsOn: ['base'],
  notes: ['key aa:bb was created 2025-01-01T00:00:00.000Z; rotation.max_age is 90d'],
};

describe('JSON plan document', () => {
  it('maps keyplan actions to Terraform action arrays, rotations by their order', () => {
    expect(jsonActions({ action: 'create' })).toEqual(['create']);
    expect(jsonActions({ action: 'update' })).toEqual(['update']);
    expect(jsonActions({ action: 'delete' })).toEqual(['delete']);
    expect(jsonActions({ action: 'retire' })).toEqual(['delete']);
    expect(jsonActions({ action: 'rotate', order: 'create_before_delete' })).toEqual(['create', 'delete']);
    expect(jsonActions({ action: 'rotate', order: 'delete_before_create' })).toEqual(['delete', 'create']);
  });

  it('marks sensitive and unknown attributes, sorts names, and keeps the plan facts', () => {
    const doc = planDocument(planOf([{ ...rotate, overlapMs: 7 * 86_400_000 }]), { keyplanVersion: '1.2.3' });
    expect(doc).toEqual({
      format_version: PLAN_FORMAT_VERSION,
      keyplan_version: '1.2.3',
      errored: false,
      summary: { create: 0, rotate: 1, update: 0, delete: 0, import: 0 },
      key_changes: [
        {
          address: 'oci.api_key.ci',
          name: 'ci',
          kind: 'oci.api_key',
          provider: 'oci',
          owner: USER,
          action: 'rotate',
          actions: ['create', 'delete'],
          reason: 'max_age',
          before: { bits: 2048, fingerprint: 'aa:bb', user: USER },
          after: { bits: 2048, user: USER },
          before_sensitive: { private_key: true },
          after_sensitive: { private_key: true },
          after_unknown: { fingerprint: true },
          rotation: { phase: 'replace', order: 'create_before_delete', overlap_ms: 604_800_000, overlap: '7d' },
          depends_on: ['base'],
          deletes: [{ provider: 'oci', kind: 'oci.api_key', owner: USER, id: 'aa:bb' }],
          notes: ['key aa:bb was created 2025-01-01T00:00:00.000Z; rotation.max_age is 90d'],
        },
      ],
      unmanaged: [],
      rotations_pending: [],
      rotation_phases: [],
      diagnostics: [],
    });
    expect(Object.keys(doc.key_changes[0]?.before ?? {})).toEqual(['bits', 'fingerprint', 'user']);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('drops the value of a sensitive attribute even when a plan carried one, and of an unknown one', () => {
    const leaky = { ...rotate, before: { ...rotate.before, private_key: 'LEAK-1' }, after: { ...rotate.after, private_key: 'LEAK-2', fingerprint: 'guess' } };
    const text = renderPlanJson(planOf([leaky]), { keyplanVersion: '1.2.3' });
    expect(text).not.toMatch(/LEAK|guess/);
    const change = planDocument(planOf([leaky]), { keyplanVersion: '1.2.3' }).key_changes[0];
    expect(change?.after).toEqual({ bits: 2048, user: USER });
  });

  it('gives a deleted key no after-flags, and a retirement its phase', () => {
    const retire: PlannedChange = { ...rotate, action: 'retire', reason: 'overlap_elapsed', after: null, computed: [], sensitive: [], dependsOn: [] };
    const [change] = planDocument(planOf([retire]), { keyplanVersion: '1' }).key_changes;
    expect(change).toMatchObject({ actions: ['delete'], after: null, after_sensitive: {}, after_unknown: {}, rotation: { phase: 'retire' } });
  });

  it('is one line ending in a newline, with the meta fields when given', () => {
    const text = renderPlanJson(planOf([]), { keyplanVersion: '1', configHash: 'f'.repeat(64), stateLineage: 'l', stateSerial: 0 });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
    expect(
      text.startsWith(`{"format_version":"1.1","keyplan_version":"1","config_hash":"${'f'.repeat(64)}","state_lineage":"l","state_serial":0,"errored":false,`),
    ).toBe(true);
  });

  it('has a schema that rejects what the document must not hold', () => {
    const good = planDocument(planOf([rotate]), { keyplanVersion: '1' });
    const [change] = good.key_changes;
    const bad = [
      { ...good, extra: 1 },
      { ...good, format_version: '2.0' },
      { ...good, key_changes: [{ ...change, after_sensitive: { private_key: false } }] },
      { ...good, key_changes: [{ ...change, after: { private_key: { secret: 'x' } } }] },
      { ...good, key_changes: [{ ...change, rotation: undefined }] },
      { ...good, key_changes: [{ ...change, action: 'create', actions: ['create'] }] },
      { ...good, key_changes: [{ ...change, actions: ['destroy'] }] },
      { ...good, diagnostics: [{ severity: 'error', code: 'oops', message: 'm' }] },
    ].map((doc) => JSON.parse(JSON.stringify(doc)) as unknown);
    expect(validate(good)).toBe(true);
    for (const doc of bad) expect(validate(doc), JSON.stringify(doc)).toBe(false);
  });
});
