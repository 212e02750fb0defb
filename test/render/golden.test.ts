/**
 * Golden files: test/golden/<case>/{plan.txt, plan.json, plan.md} for every case in
 * golden-cases.ts, colour off. Regenerate with `npx vitest run -u test/render` and read the
 * diff; CI never rewrites them. plan.json holds the document indented for review; the
 * bytes `plan --json` prints are checked against it in compact form.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Action, Reason } from '../../src/model/plan.js';
import { planDocument, renderPlanJson, type PlanMeta } from '../../src/render/json.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { GOLDEN_CASES } from './golden-cases.js';

const META: PlanMeta = {
  keyplanVersion: '0.0.0-test',
  configHash: 'a'.repeat(64),
  stateLineage: '00000000-0000-4000-8000-000000000000',
  stateSerial: 1,
};

const schema: unknown = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema as object);

// `satisfies Record<…, true>` makes the compiler reject a list that misses or invents one.
const ALL_ACTIONS = { create: true, update: true, rotate: true, delete: true, retire: true } satisfies Record<Action, true>;
const ALL_REASONS = {
  new: true,
  drift_missing: true,
  drift_state: true,
  max_age: true,
  expiring: true,
  requested: true,
  config_changed: true,
  removed_from_config: true,
  overlap_elapsed: true,
  deactivation_elapsed: true,
  interrupted_create: true,
  unverified: true,
} satisfies Record<Reason, true>;

describe('golden plans', () => {
  it('cover every action and every reason', () => {
    const changes = GOLDEN_CASES.flatMap((c) => c.plan.changes);
    expect(new Set(changes.map((c) => c.action))).toEqual(new Set(Object.keys(ALL_ACTIONS)));
    expect(new Set(changes.map((c) => c.reason))).toEqual(new Set(Object.keys(ALL_REASONS)));
    expect(new Set(changes.filter((c) => c.action === 'rotate').map((c) => c.order))).toEqual(new Set(['create_before_delete', 'delete_before_create']));
  });

  describe.each(GOLDEN_CASES.map((c) => [c.name, c] as const))('%s', (name, { plan }) => {
    it('human view matches plan.txt', async () => {
      await expect(renderPlanHuman(plan, { color: false })).toMatchFileSnapshot(`../golden/${name}/plan.txt`);
    });

    it('JSON document matches plan.json and validates against the schema', async () => {
      const doc = planDocument(plan, META);
      const pretty = `${JSON.stringify(doc, null, 2)}\n`;
      await expect(pretty).toMatchFileSnapshot(`../golden/${name}/plan.json`);
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      // What `plan --json` prints is the same document on one line, key order included.
      expect(renderPlanJson(plan, META)).toBe(`${JSON.stringify(JSON.parse(pretty))}\n`);
    });

    it('Markdown matches plan.md', async () => {
      await expect(renderPlanMarkdown(plan)).toMatchFileSnapshot(`../golden/${name}/plan.md`);
    });

    it('renders byte-identically twice, and from a deep copy', () => {
      const copy = structuredClone(plan);
      for (const render of [
        (p: typeof plan) => renderPlanHuman(p, { color: true }),
        (p: typeof plan) => renderPlanJson(p, META),
        (p: typeof plan) => renderPlanMarkdown(p),
      ]) {
        const first = render(plan);
        expect(render(plan)).toBe(first);
        expect(render(copy)).toBe(first);
      }
    });
  });
});
