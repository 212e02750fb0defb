import { describe, expect, it } from 'vitest';
import type { Plan, PlannedChange } from '../model/plan.js';
import { renderPlanHuman } from './human.js';

const USER = 'ocid1.user.oc1..example';

const base = { provider: 'oci', kind: 'oci.api_key', owner: USER, computed: [], sensitive: [], deletes: [], dependsOn: [], notes: [] };

const create: PlannedChange = {
  ...base,
  address: 'oci.api_key.ci-deployer',
  name: 'ci-deployer',
  action: 'create',
  reason: 'new',
  before: null,
  after: { user: USER, bits: 2048 },
  computed: ['fingerprint'],
  sensitive: ['private_key'],
};

const rotate: PlannedChange = {
  ...base,
  address: 'oci.api_key.etl',
  name: 'etl',
  action: 'rotate',
  reason: 'max_age',
  order: 'create_before_delete',
  before: { user: USER, bits: 2048, fingerprint: 'aa:bb' },
  after: { user: USER, bits: 2048 },
  computed: ['fingerprint'],
  sensitive: ['private_key'],
  deletes: [{ provider: 'oci', kind: 'oci.api_key', owner: USER, id: 'aa:bb' }],
  dependsOn: ['ci-deployer'],
  notes: ['key aa:bb was created 2025-01-01T00:00:00.000Z; rotation.max_age is 90d'],
};

const remove: PlannedChange = {
  ...base,
  address: 'oci.api_key.old',
  name: 'old',
  action: 'delete',
  reason: 'removed_from_config',
  before: { user: USER, bits: 4096, fingerprint: 'cc:dd' },
  after: null,
  deletes: [{ provider: 'oci', kind: 'oci.api_key', owner: USER, id: 'cc:dd' }],
};

const planOf = (changes: PlannedChange[], extra: Partial<Plan> = {}): Plan => ({
  formatVersion: 1,
  changes,
  unmanaged: [],
  diagnostics: [],
  summary: {
    create: changes.filter((c) => c.action === 'create').length,
    rotate: changes.filter((c) => c.action === 'rotate').length,
    import: 0,
    update: 0,
    delete: changes.filter((c) => c.action === 'delete' || c.action === 'retire').length,
  },
  errored: false,
  ...extra,
});

const expected = `Key actions are indicated with the following symbols:
  + create
  - delete
+/- rotate: create the new key, then delete the old one

keyplan will perform the following actions:

  # oci.api_key.ci-deployer will be created
  + oci.api_key "ci-deployer" {
      + bits        = 2048
      + fingerprint = (known after apply)
      + private_key = (sensitive value)
      + user        = "ocid1.user.oc1..example"
    }

  # oci.api_key.etl must be rotated (older than rotation.max_age)
+/- oci.api_key "etl" {
        bits        = 2048
      ~ fingerprint = "aa:bb" -> (known after apply)
      ~ private_key = (sensitive value)
        user        = "ocid1.user.oc1..example"
        # (key aa:bb was created 2025-01-01T00:00:00.000Z; rotation.max_age is 90d)
        # (applied after: ci-deployer)
    }

  # oci.api_key.old will be deleted (no longer in keys.yaml)
  - oci.api_key "old" {
      - bits        = 4096
      - fingerprint = "cc:dd"
      - user        = "ocid1.user.oc1..example"
    }

Plan: 1 to create, 1 to rotate, 0 to update, 1 to delete.
`;

describe('renderPlanHuman', () => {
  it('renders create, rotate and delete blocks exactly', () => {
    expect(renderPlanHuman(planOf([create, rotate, remove]), { color: false })).toBe(expected);
  });

  it('uses -/+ for delete-first rotations and marks replacing attributes', () => {
    const switched: PlannedChange = {
      ...rotate,
      reason: 'config_changed',
      order: 'delete_before_create',
      after: { user: USER, bits: 4096 },
      dependsOn: [],
      notes: ['user ocid1.user.oc1..example has 3 of 3 key slots in use: the old key is deleted before the new one is created'],
    };
    const text = renderPlanHuman(planOf([switched]), { color: false });
    expect(text).toContain(`  # oci.api_key.etl must be rotated (a setting that forces a new key changed)
-/+ oci.api_key "etl" {
      ~ bits        = 2048 -> 4096 # forces replacement
      ~ fingerprint = "aa:bb" -> (known after apply)
      ~ private_key = (sensitive value)
        user        = "ocid1.user.oc1..example"
        # (user ocid1.user.oc1..example has 3 of 3 key slots in use: the old key is deleted before the new one is created)
    }`);
    expect(text).toContain('-/+ rotate: delete the old key, then create the new one');
  });

  it('prints "No changes." and the unmanaged keys when there is nothing to do', () => {
    const plan = planOf([], {
      unmanaged: [{ provider: 'oci', kind: 'oci.api_key', owner: USER, id: '12:34', status: 'active', attributes: {} }],
    });
    expect(renderPlanHuman(plan, { color: false })).toBe(`Unmanaged keys (not in keys.yaml; keyplan leaves them alone):
  oci.api_key 12:34 (owner ocid1.user.oc1..example, active)

No changes. Your keys match the configuration.
`);
    expect(renderPlanHuman(planOf([]), { color: false })).toBe('No changes. Your keys match the configuration.\n');
  });

  it('prints warnings and errors before the summary, and says an errored plan cannot be applied', () => {
    const plan = planOf([create], {
      errored: true,
      diagnostics: [
        {
          severity: 'error',
          code: 'KP_PLAN_E0002',
          message: 'user u would need 4 API keys; OCI allows 3 (held by: a, b, c)',
          path: 'keys[0]',
          range: { file: 'keys.yaml', line: 7, column: 5 },
        },
        { severity: 'warning', code: 'KP_PLAN_W0001', message: '--rotate ghost: no key of that name is declared in keys.yaml' },
      ],
    });
    const text = renderPlanHuman(plan, { color: false });
    expect(
      text.endsWith(`    }

Error: user u would need 4 API keys; OCI allows 3 (held by: a, b, c)
  on keys.yaml line 7, in keys[0]

Warning: --rotate ghost: no key of that name is declared in keys.yaml

keyplan cannot apply this plan until the errors above are fixed.

Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.
`),
    ).toBe(true);
  });

  it('uses ANSI colour only when asked, and colour does not change the text', () => {
    const plan = planOf([create, rotate, remove]);
    const plain = renderPlanHuman(plan, { color: false });
    const coloured = renderPlanHuman(plan, { color: true });
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[[0-9;]*m/g;
    expect(plain).not.toMatch(ansi);
    expect(coloured).toMatch(ansi);
    expect(coloured).toContain('  \u001b[32m+\u001b[0m oci.api_key "ci-deployer" {');
    expect(coloured).toContain('\u001b[33m+/-\u001b[0m oci.api_key "etl" {');
    expect(coloured).toContain('\u001b[31m-\u001b[0m bits');
    expect(coloured.replace(ansi, '')).toBe(plain);
  });

  it('is deterministic', () => {
    const plan = planOf([create, rotate, remove]);
    expect(renderPlanHuman(plan, { color: true })).toBe(renderPlanHuman(structuredClone(plan), { color: true }));
  });

  it('never prints a sensitive attribute value, even if a plan carried one', () => {
    const leaky: PlannedChange = { ...create, after: { user: USER, private_key: 'BEGIN PRIVATE KEY' } };
    expect(renderPlanHuman(planOf([leaky]), { color: false })).not.toContain('BEGIN PRIVATE KEY');
  });
});
