import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { resetSandbox, startSandbox } from '../sandbox.js';
import { oscCall } from './testing/client.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-osc-sandbox-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('sandbox: the OUTSCALE endpoint', () => {
  it('serves bootstrap credentials that sign, kept in dataDir/outscale across restarts until reset', async () => {
    const dataDir = tempDir();
    const first = await startSandbox({ dataDir });
    let firstRunning = true;
    onTestFinished(() => (firstRunning ? first.close() : undefined));
    const osc = first.endpoints['outscale'];
    expect(osc?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = osc?.credentials ?? {};
    expect(Object.keys(c).sort()).toEqual(['access_key', 'region', 'secret_key']);
    expect(c['access_key']).toMatch(/^[A-Z0-9]{20}$/);
    expect(c['region']).toBe('eu-west-2');
    const creds = { accessKey: c['access_key'] ?? '', secretKey: c['secret_key'] ?? '', region: c['region'] ?? '' };
    // EIM users named in keys.yaml exist on first use.
    const created = await oscCall(osc?.url ?? '', 'CreateAccessKey', { UserName: 'ci-bot' }, { sign: creds });
    expect(created.status).toBe(200);
    await first.close();
    firstRunning = false;
    expect(statSync(join(dataDir, 'outscale', 'store.json')).mode & 0o777).toBe(0o600);

    const second = await startSandbox({ dataDir });
    let running = true;
    onTestFinished(() => (running ? second.close() : undefined));
    expect(second.endpoints['outscale']?.credentials).toEqual(c);
    const read = await oscCall(second.endpoints['outscale']?.url ?? '', 'ReadAccessKeys', { UserName: 'ci-bot' }, { sign: creds });
    expect(read.body['AccessKeys']).toHaveLength(1);
    await second.close();
    running = false;

    await resetSandbox(dataDir);
    expect(existsSync(join(dataDir, 'outscale'))).toBe(false);
  });
});
