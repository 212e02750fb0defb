import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { resetSandbox, startSandbox } from './sandbox.js';
import { testIdentityClient } from './oci/testing/sdk.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyplan-sandbox-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A TCP server on 127.0.0.1:`port` (0: any free port). */
function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const portOf = (server: Server): number => {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
};

const closed = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('sandbox', () => {
  it('starts the OCI emulator with bootstrap credentials that work with the SDK', async () => {
    const dataDir = tempDir();
    const sandbox = await startSandbox({ dataDir });
    onTestFinished(() => sandbox.close());
    const oci = sandbox.endpoints['oci'];
    expect(oci?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = oci?.credentials ?? {};
    expect(Object.keys(c).sort()).toEqual(['fingerprint', 'privateKeyPem', 'region', 'tenancy', 'user']);
    const client = testIdentityClient(
      {
        tenancy: c['tenancy'] ?? '',
        user: c['user'] ?? '',
        fingerprint: c['fingerprint'] ?? '',
        privateKeyPem: c['privateKeyPem'] ?? '',
        region: c['region'] ?? '',
      },
      oci?.url ?? '',
    );
    onTestFinished(() => client.close());
    // autoCreateUsers: a user OCID from keys.yaml exists on first use.
    expect((await client.listApiKeys({ userId: 'ocid1.user.oc1..aaaaaaaaci' })).items).toEqual([]);
    expect(existsSync(join(dataDir, 'oci', 'store.json'))).toBe(true);
  });

  it('keeps its credentials across restarts until reset, and reset spares foreign files', async () => {
    const dataDir = tempDir();
    const first = await startSandbox({ dataDir });
    await first.close();
    const second = await startSandbox({ dataDir });
    await second.close();
    expect(second.endpoints['oci']?.credentials).toEqual(first.endpoints['oci']?.credentials);

    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    await resetSandbox(dataDir);
    expect(existsSync(join(dataDir, 'oci'))).toBe(false);
    expect(existsSync(join(dataDir, 'notes.txt'))).toBe(true);

    const only = join(dataDir, 'only');
    mkdirSync(join(only, 'oci'), { recursive: true });
    await resetSandbox(only);
    expect(existsSync(only)).toBe(false);
    await resetSandbox(join(dataDir, 'never-created'));
  });

  it('closes the emulators already listening when a later one cannot start', async () => {
    // DataOS gets `port + 2`: hold that one, with the two below it free.
    const blocker = await listen(0);
    onTestFinished(() => closed(blocker));
    const port = portOf(blocker) - 2;
    for (const free of [port, port + 1]) await closed(await listen(free));

    await expect(startSandbox({ dataDir: tempDir(), port })).rejects.toThrow(/EADDRINUSE/);
    // OCI (port) and OUTSCALE (port + 1) no longer listen: their ports can be taken again.
    for (const free of [port, port + 1]) await closed(await listen(free));
  });
});
