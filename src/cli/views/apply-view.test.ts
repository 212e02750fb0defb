import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApplyOutcome } from '../../engine.js';
import type { Plan } from '../../model/plan.js';
import { plan } from '../../plan/planner.js';
import { desired, options, snapshot, state } from '../../../test/helpers/plan-fixtures.js';
import type { CliIo } from '../io.js';
import { humanApplyView, jsonApplyView } from './apply-view.js';

function capture(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const streams = { out: '', err: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => (streams.out += d.toString()));
  stderr.on('data', (d: Buffer) => (streams.err += d.toString()));
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env: {}, color: false, colorErr: false, interactive: false };
  return { io, stdout: () => streams.out, stderr: () => streams.err };
}

/** Creates of `ci` and `web`. */
function twoCreates(): Plan {
  return plan([desired('ci'), desired('web')], snapshot([]), state([]), options());
}

const applied = (plan: Plan, failed: number): ApplyOutcome => ({
  kind: 'applied',
  plan,
  result: { outcomes: new Map(), counts: { created: 2 - failed, rotated: 0, updated: 0, deleted: 0, failed, skipped: 0 } },
});

describe('humanApplyView', () => {
  it('shows a fresh plan in full, then the summary with advice when some change failed', () => {
    const c = capture();
    const view = humanApplyView(c.io, { color: false });
    const p = twoCreates();
    view.planned(p);
    view.applying();
    view.outcome(applied(p, 1));
    expect(c.stdout()).toContain('# oci.api_key.ci will be created');
    expect(c.stdout()).toContain('Plan: 2 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(
      c
        .stdout()
        .endsWith(
          '\n\nApply finished with errors. Keys: 1 created, 0 rotated, 0 updated, 0 deleted; 1 failed, 0 skipped. State records what succeeded; run keyplan plan to see what is left.\n',
        ),
    ).toBe(true);
  });

  it('names a saved plan by its summary only, and says when it has nothing to do', () => {
    const c = capture();
    const view = humanApplyView(c.io, { color: false, savedPlanFile: 'plan.kp' });
    const p = twoCreates();
    view.planned(p);
    view.outcome({ kind: 'no_changes', plan: p });
    expect(c.stdout()).toBe('Applying the saved plan plan.kp. Plan: 2 to create, 0 to rotate, 0 to update, 0 to delete.\nNo changes to make.\n');
  });

  it('prints a cancelled run on stderr', () => {
    const c = capture();
    humanApplyView(c.io, { color: false }).outcome({ kind: 'cancelled', plan: twoCreates() });
    expect(c.stderr()).toBe('\nApply cancelled.\n');
    expect(c.stdout()).toBe('');
  });
});

describe('jsonApplyView', () => {
  it('streams only JSON lines: version, the plan, and a summary for every way a run ends with changes or none', () => {
    const c = capture();
    const view = jsonApplyView(c.io);
    const p = twoCreates();
    view.begin();
    view.planned(p);
    view.applying();
    view.outcome({ kind: 'no_changes', plan: p });
    view.outcome(applied(p, 0));
    view.failed(new Error('late'));
    const lines = c
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; '@message': string });
    expect(lines.map((l) => l.type)).toEqual([
      'version',
      'planned_change',
      'planned_change',
      'change_summary',
      'change_summary',
      'change_summary',
      'diagnostic',
    ]);
    expect(lines[4]?.['@message']).toBe('Apply complete! Keys: 0 created, 0 rotated, 0 updated, 0 deleted.');
    expect(lines[5]?.['@message']).toBe('Apply complete! Keys: 2 created, 0 rotated, 0 updated, 0 deleted.');
    expect(c.stderr()).toBe('');
  });

  it('never prompts: asking for approval is a bug in keyplan', () => {
    expect(() => jsonApplyView(capture().io).confirm(twoCreates())).toThrow('Expected apply --json to run with --auto-approve or a plan file');
  });
});
