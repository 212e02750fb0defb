import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../model/plan.js';
import { plan } from '../plan/planner.js';
import { desired, live, options, record, snapshot, state } from '../../test/helpers/plan-fixtures.js';
import { registerSecretValue } from '../log/logger.js';
import type { CliIo } from './io.js';
import { JsonReporter } from './json-reporter.js';
import { pemBlock } from '../../test/helpers/pem.js';

function capture(): { io: CliIo; lines: () => Record<string, unknown>[] } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const io: CliIo = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, color: false, colorErr: false, interactive: false };
  return {
    io,
    lines: () =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A create of `ci` and a rotation of `web`, with a warning for an unknown --target. */
function twoChanges(): Plan {
  return plan([desired('ci'), desired('web')], snapshot([live('bb')]), state([record('web', 'bb')]), options({ rotate: ['web'], targets: [] }));
}

describe('JsonReporter', () => {
  it('streams one object per line with a stable type, @level, @message and @module', () => {
    const { io, lines } = capture();
    let now = 1_000;
    const r = new JsonReporter(io, () => now);
    r.version('0.1.0');
    r.plan(twoChanges());
    const data = { name: 'ci', address: 'oci.api_key.ci', action: 'create' } as const;
    r.notify({ level: 'info', code: 'apply_start', message: 'ci: creating...', data });
    now += 12_000;
    r.notify({ level: 'info', code: 'apply_progress', message: 'ci: still creating... [12s elapsed]', data: { ...data, elapsedSeconds: 12 } });
    r.notify({ level: 'info', code: 'apply_complete', message: 'ci: creation complete after 12s [id=cc]', data: { ...data, id: 'cc' } });
    r.notify({ level: 'info', code: 'apply_start', message: 'web: rotating...', data: { name: 'web', address: 'oci.api_key.web', action: 'rotate' } });
    r.notify({
      level: 'error',
      code: 'apply_errored',
      message: 'web: rotation failed: boom',
      data: { name: 'web', address: 'oci.api_key.web', action: 'rotate' },
    });
    r.notify({ level: 'debug', code: 'refresh_start', message: 'reading keys', data: { provider: 'oci', kind: 'oci.api_key', owner: 'u' } });
    r.notify({ level: 'warn', code: 'apply_skipped', message: 'x: skipped', data: { name: 'x', address: 'oci.api_key.x' } });
    r.applySummary({ created: 1, rotated: 0, updated: 0, deleted: 0, failed: 1, skipped: 1 });

    const out = lines();
    expect(out.map((l) => l['type'])).toEqual([
      'version',
      'planned_change',
      'planned_change',
      'change_summary',
      'apply_start',
      'apply_progress',
      'apply_complete',
      'apply_start',
      'apply_errored',
      'diagnostic',
      'diagnostic',
      'change_summary',
    ]);
    for (const l of out) {
      expect(['info', 'warn', 'error']).toContain(l['@level']);
      expect(typeof l['@message']).toBe('string');
      expect(l['@module']).toBe('keyplan.ui');
    }
    expect(out[0]).toEqual({ '@level': 'info', '@message': 'keyplan 0.1.0', '@module': 'keyplan.ui', type: 'version', keyplan: '0.1.0', ui: '1.0' });
    expect(out[2]).toMatchObject({
      '@message': 'oci.api_key.web: plan to rotate (requested)',
      change: {
        resource: { addr: 'oci.api_key.web', name: 'web', kind: 'oci.api_key', provider: 'oci' },
        action: 'rotate',
        reason: 'requested',
        deletes: ['bb'],
      },
    });
    expect(out[3]).toMatchObject({
      '@message': 'Plan: 1 to create, 1 to rotate, 0 to update, 0 to delete.',
      changes: { create: 1, rotate: 1, operation: 'plan' },
    });
    expect(out[5]).toMatchObject({ hook: { action: 'create', elapsed_seconds: 12 }, '@timestamp': new Date(13_000).toISOString() });
    expect(out[6]).toMatchObject({ hook: { id_key: 'id', id_value: 'cc' } });
    expect(out[8]).toMatchObject({ '@level': 'error', hook: { resource: { addr: 'oci.api_key.web' } } });
    expect(out[9]).toMatchObject({ diagnostic: { severity: 'error', address: 'oci.api_key.web', summary: 'web: rotation failed: boom' } });
    expect(out[10]).toMatchObject({ '@level': 'warn', diagnostic: { severity: 'warning', code: 'apply_skipped' } });
    expect(out[11]).toMatchObject({ '@level': 'warn', changes: { create: 1, failed: 1, skipped: 1, operation: 'apply' } });
    // Plan events carry no timestamp, so one plan always streams the same lines.
    expect(out.slice(0, 4).some((l) => '@timestamp' in l)).toBe(false);
  });

  it('accepts only registered event codes, at their registered level (checked by tsc)', () => {
    const { io, lines } = capture();
    const r = new JsonReporter(io);
    // @ts-expect-error an unknown code is a type error
    r.notify({ level: 'info', code: 'apply_started', message: 'typo', data: { name: 'x', address: 'oci.api_key.x', action: 'create' } });
    // @ts-expect-error apply_errored is registered at level error
    r.notify({ level: 'info', code: 'apply_errored', message: 'wrong level', data: { name: 'x', address: 'oci.api_key.x', action: 'create' } });
    expect(lines().map((l) => l['type'])).toEqual(['log', 'log']);
  });

  it('turns an error that ends the command into an error diagnostic with its code', () => {
    const { io, lines } = capture();
    new JsonReporter(io).error(Object.assign(new Error('nope'), {}));
    expect(lines()).toEqual([
      {
        '@level': 'error',
        '@message': 'Error: nope',
        '@module': 'keyplan.ui',
        type: 'diagnostic',
        diagnostic: { severity: 'error', code: 'KP_INTERNAL_E0001', summary: 'nope' },
      },
    ]);
  });

  it('scrubs key material and registered secret values from every line', () => {
    const { io, lines } = capture();
    registerSecretValue('json-reporter-secret-XYZ');
    const pem = pemBlock('PRIVATE KEY', 'MIIabc');
    new JsonReporter(io).notify({
      level: 'warn',
      code: 'apply_skipped',
      message: `failed with json-reporter-secret-XYZ and ${pem}`,
      data: { name: 'x', address: 'oci.api_key.x' },
    });
    const text = JSON.stringify(lines());
    expect(text).not.toContain('json-reporter-secret-XYZ');
    expect(text).not.toContain('MIIabc');
  });
});
