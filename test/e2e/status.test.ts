/**
 * `keyplan status` through the built CLI against the sandbox, with real dates: every
 * managed key sorted by name with its kind, expiry and phase; `--expiring-within` exits 2
 * and names the keys concerned on stderr when something expires or comes due inside the
 * window, 0 otherwise; `--format json`; and a bad duration is a usage error. It needs no
 * provider credentials: the emulators are not even reachable when it runs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyplan, tempDir } from '../helpers/cli.js';

const CONFIG = `version: 1
providers:
  oci: { type: oci, endpoint: sandbox }
  osc: { type: outscale, endpoint: sandbox }
  dataos: { type: dataos, endpoint: sandbox }
keys:
  - name: deployer
    kind: oci.api_key
    provider: oci
    user: ocid1.user.oc1..e2estatus
    passphrase: none
    rotation: { max_age: 90d }
    outputs: [ { type: file, path: out/deployer.pem } ]
  - name: ci
    kind: outscale.access_key
    provider: osc
    expires_in: 10d
    rotation: { before_expiry: 3d }
    outputs: [ { type: file, path: out/ci.json } ]
  - name: presto
    kind: dataos.api_key
    provider: dataos
    duration: 48h
    outputs: [ { type: file, path: out/presto.token } ]
`;

describe('keyplan status', () => {
  it('lists every key and exits 2 only when something expires or comes due within --expiring-within', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), CONFIG);
    const applied = await keyplan(dir, ['apply', '--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);

    const plain = await keyplan(dir, ['status']);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+AGE\s+EXPIRES\s+PHASE\s+NEXT$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ci outscale.access_key',
      'deployer oci.api_key',
      'presto dataos.api_key',
    ]);
    expect(lines[1]).toMatch(/ \(in 10d\)\s+\S+\s+rotation \(before_expiry\) \S+ \(in 7d\)$/);
    expect(lines[2]).toMatch(/ -\s+\S+\s+rotation \(max_age\) \S+ \(in 90d\)$/);
    expect(lines[3]).toMatch(/ \(in (4[6-8]h|1d2[2-4]h|2d)\S*\)\s+\S+\s+rotation \(expiry\)/);

    const quiet = await keyplan(dir, ['status', '--expiring-within', '1d']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');

    const due = await keyplan(dir, ['status', '--expiring-within', '14d']);
    expect(due.code, due.stderr).toBe(2);
    expect(due.stderr).toMatch(/^2 keys expire or come due within 14d:\n/);
    expect(due.stderr).toMatch(/\n {2}ci: rotation \(before_expiry\) \S+\n/);
    expect(due.stderr).toMatch(/\n {2}ci: expires \S+\n/);
    expect(due.stderr).toMatch(/\n {2}presto: expires \S+\n/);
    expect(due.stderr).toMatch(/\n {2}presto: rotation \(expiry\) \S+\n/);
    expect(due.stderr).not.toContain('deployer');

    const json = await keyplan(dir, ['status', '--format', 'json', '--expiring-within', '14d']);
    expect(json.code).toBe(2);
    const doc = JSON.parse(json.stdout);
    expect(doc.format_version).toBe(1);
    expect(doc.keys.map((k: { name: string }) => k.name)).toEqual(['ci', 'deployer', 'presto']);
    expect(doc.keys[1]).toMatchObject({ kind: 'oci.api_key', expires_at: null, next_rotation: { reason: 'max_age' }, declared: true });
    expect(doc.due.map((d: { name: string }) => d.name).sort()).toEqual(['ci', 'ci', 'presto', 'presto']);

    const bad = await keyplan(dir, ['status', '--expiring-within', 'two weeks']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--expiring-within must be a duration such as 14d or 36h, got "two weeks"');
    expect((await keyplan(dir, ['status', '--help'])).stdout).toContain('Usage: keyplan status [--expiring-within DURATION]');
  });
});
