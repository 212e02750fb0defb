/**
 * No secret value reaches any rendering. A Plan holds no secrets by construction (the
 * planner copies no passphrase and no key material into it); these tests plant secrets
 * where a careless change could pick them up, the environment the passphrases come from
 * and the sensitive attributes of a plan, and assert that the renderers print only the
 * `(sensitive value)` marking.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Plan, PlannedChange } from '../../src/model/plan.js';
import { REDACTED } from '../../src/model/secret.js';
import { plan } from '../../src/plan/planner.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { planDocument, renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { desired, live, options, record, snapshot, state } from '../helpers/plan-fixtures.js';
import { GOLDEN_CASES, planOf } from './golden-cases.js';

const renderings = (p: Plan): string[] => [
  renderPlanHuman(p, { color: false }),
  renderPlanHuman(p, { color: true }),
  renderPlanJson(p, { keyplanVersion: '0.0.0-test' }),
  renderPlanMarkdown(p),
];

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('secrets in renderings', () => {
  it('never prints a passphrase from the environment the config names', () => {
    const passphrase = `kp-secret-${randomBytes(12).toString('hex')}`;
    vi.stubEnv('PASS', passphrase);
    vi.stubEnv('CI_DEPLOYER_PASSPHRASE', passphrase);
    const p = plan(
      [desired('new'), desired('old', { passphrase: { env: 'CI_DEPLOYER_PASSPHRASE' } })],
      snapshot([live('o1')]),
      state([record('old', 'o1'), record('gone', 'g1')]),
      options({ rotate: ['old'] }),
    );
    expect(p.changes.map((c) => c.action)).toEqual(['create', 'rotate']);
    for (const text of [...renderings(p), ...GOLDEN_CASES.flatMap((c) => renderings(c.plan))]) expect(text).not.toContain(passphrase);
    expect(JSON.stringify(p)).not.toContain(passphrase);
  });

  it('marks private key material as (sensitive value) and never prints it, even if a plan carried it', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const body = pem.split('\n').filter((l) => l.length > 0 && !l.startsWith('-----'));
    const leaky: PlannedChange = {
      address: 'oci.api_key.ci',
      name: 'ci',
      kind: 'oci.api_key',
      provider: 'oci',
      owner: 'u',
      action: 'rotate',
      reason: 'requested',
      order: 'create_before_delete',
      before: { user: 'u', fingerprint: 'aa', private_key: pem },
      after: { user: 'u', private_key: `${pem}\n` },
      computed: ['fingerprint'],
      sensitive: ['private_key'],
      deletes: [],
      dependsOn: [],
      notes: [],
    };
    const p = planOf([leaky, { ...leaky, address: 'oci.api_key.new', name: 'new', action: 'create', reason: 'new', before: null }]);
    for (const text of renderings(p)) {
      expect(text).not.toContain('PRIVATE KEY');
      for (const line of body) expect(text).not.toContain(line);
    }
    const [human, , , md] = renderings(p);
    expect(human).toContain(`~ private_key = ${REDACTED}`);
    expect(human).toContain(`+ private_key = ${REDACTED}`);
    expect(md).toContain(`!       private_key = ${REDACTED}`);
    const doc = planDocument(p, { keyplanVersion: '0.0.0-test' });
    expect(doc.key_changes.map((c) => [c.before_sensitive, c.after_sensitive])).toEqual([
      [{ private_key: true }, { private_key: true }],
      [{}, { private_key: true }],
    ]);
  });
});
