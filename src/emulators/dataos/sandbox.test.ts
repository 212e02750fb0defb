/** The sandbox's DataOS endpoint: bootstrap credentials that work, kept (0600) until reset. */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { resetSandbox, startSandbox } from '../sandbox.js';

describe('sandbox: dataos', () => {
  it('serves Heimdall with a bootstrap operator token that persists until reset', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyplan-sandbox-dataos-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startSandbox({ dataDir });
    const endpoint = first.endpoints['dataos'];
    expect(endpoint?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(endpoint?.credentials ?? {}).sort()).toEqual(['token', 'user_id']);
    const res = await fetch(`${endpoint?.url}/heimdall/api/v1/authorize`, { method: 'POST', body: JSON.stringify({ token: endpoint?.credentials['token'] }) });
    expect(await res.json()).toMatchObject({
      valid: true,
      result: { id: endpoint?.credentials['user_id'], tags: expect.arrayContaining(['roles:id:operator']) },
    });
    // autoCreateUsers: a user id from keys.yaml exists on first use.
    const list = await fetch(`${endpoint?.url}/heimdall/api/v1/users/svc-anything/tokens`, { headers: { apikey: endpoint?.credentials['token'] ?? '' } });
    expect(await list.json()).toEqual([]);
    await first.close();

    expect(statSync(join(dataDir, 'dataos', 'store.json')).mode & 0o777).toBe(0o600);
    const second = await startSandbox({ dataDir });
    await second.close();
    expect(second.endpoints['dataos']?.credentials).toEqual(endpoint?.credentials);
    await resetSandbox(dataDir);
    expect(existsSync(join(dataDir, 'dataos'))).toBe(false);
  });
});
