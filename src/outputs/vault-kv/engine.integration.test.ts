/**
 * `vault_kv` through the engine, with the registered output type: an OUTSCALE
 * key delivered into the sandbox's Vault signs a request with the secret read back; a
 * Vault answering 503 on write fails the step, the new key is deleted again and the
 * file output written before is put back; the next apply converges. No token or secret
 * reaches state or the reported messages.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator } from '../../emulators/outscale/index.js';
import { oscCall } from '../../emulators/outscale/testing/client.js';
import { startVaultEmulator } from '../../emulators/vault/index.js';
import { Workspace } from '../../engine.js';
import type { ReportEvent } from '../../report/reporter.js';
import { defaultRegistry } from '../../providers/registry.js';
import { vaultKvOutput } from './index.js';

// Kinds accept the core output types (providers/shared/kind-outputs.ts), so these tests run
// once vault_kv is registered in outputs/core.ts; until then they are skipped.
const registered = defaultRegistry.outputs.get('vault_kv') === vaultKvOutput;

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyplan-vault-engine-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const config = (outputs: string): string => `version: 1
providers:
  osc: { type: outscale, endpoint: sandbox }
keys:
  - name: etl
    kind: outscale.access_key
    provider: osc
    user_name: etl-bot
    outputs:
${outputs}`;

/** One plan and apply; returns the counts and every reported message. */
async function apply(file: string, env: Record<string, string>): Promise<{ counts: Record<string, number>; messages: string }> {
  const events: ReportEvent[] = [];
  const ws = await Workspace.open(file, { env, reporter: { notify: (e) => void events.push(e) } }, { checkEnv: true });
  try {
    const lock = await ws.store.lock('test');
    try {
      const result = await ws.apply(await ws.plan(await ws.store.read()));
      return { counts: { ...result.counts }, messages: JSON.stringify(events) };
    } finally {
      await ws.store.unlock(lock.id);
    }
  } finally {
    await ws.close();
  }
}

/** The sandbox's OUTSCALE data, read through a second emulator on the same folder. */
async function outscaleOf(dir: string) {
  const emu = await startOutscaleEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'outscale') });
  onTestFinished(() => emu.close());
  return emu;
}

describe.skipIf(!registered)('vault_kv through the engine', () => {
  it('delivers an OUTSCALE key into the sandbox Vault; the secret read back signs a request', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(
      file,
      config('      - { type: vault_kv, address: sandbox, mount: secret, path: ci/etl, fields: { access_key: OSC_ACCESS_KEY, secret_key: OSC_SECRET_KEY } }\n'),
    );
    const first = await apply(file, {});
    expect(first.counts).toMatchObject({ created: 1, failed: 0 });

    const vault = await startVaultEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'vault_kv') });
    onTestFinished(() => vault.close());
    const res = await fetch(`${vault.url}/v1/secret/data/ci/etl`, { headers: { 'X-Vault-Token': vault.rootToken } });
    const fields = ((await res.json()) as { data: { data: Record<string, string> } }).data.data;
    const osc = await outscaleOf(dir);
    const [key] = osc.listAccessKeys('etl-bot');
    expect(fields['OSC_ACCESS_KEY']).toBe(key?.accessKeyId);
    const signed = await oscCall(
      osc.url,
      'ReadAccessKeys',
      {},
      { sign: { accessKey: fields['OSC_ACCESS_KEY'] ?? '', secretKey: fields['OSC_SECRET_KEY'] ?? '', region: osc.account.region } },
    );
    expect(signed.status).toBe(200);
    const state = readFileSync(path.join(dir, '.keyplan', 'state.json'), 'utf8');
    for (const text of [state, first.messages]) {
      expect(text).not.toContain(fields['OSC_SECRET_KEY']);
      expect(text).not.toContain(vault.rootToken);
    }
    // Converged: a second apply changes nothing and writes no new version.
    expect((await apply(file, {})).counts).toMatchObject({ created: 0, failed: 0 });
    expect(vault.secret('ci/etl')?.currentVersion).toBe(1);
  });

  it('fails the step on a 503, deletes the new key, puts the file back, and converges on the next apply', async () => {
    const dir = tempDir();
    const vault = await startVaultEmulator({ failWrites: { status: 503, count: 1 } });
    onTestFinished(() => vault.close());
    const file = path.join(dir, 'keys.yaml');
    writeFileSync(
      file,
      config(`      - { type: file, path: out/etl.json }
      - { type: vault_kv, address: "${vault.url}", mount: secret, path: ci/etl, token_env: VAULT_TOKEN }
`),
    );
    const env = { VAULT_TOKEN: vault.rootToken };
    const failed = await apply(file, env);
    expect(failed.counts).toMatchObject({ created: 0, failed: 1 });
    expect(failed.messages).toContain(`Vault at ${vault.url} is sealed or unavailable (HTTP 503: Vault is sealed)`);
    expect(failed.messages).not.toContain(vault.rootToken);
    const osc = await outscaleOf(dir);
    expect(osc.listAccessKeys('etl-bot')).toEqual([]);
    expect(existsSync(path.join(dir, 'out', 'etl.json'))).toBe(false);
    expect(vault.secret('ci/etl')).toBeUndefined();

    const again = await apply(file, env);
    expect(again.counts).toMatchObject({ created: 1, failed: 0 });
    const [key] = osc.listAccessKeys('etl-bot');
    const stored = vault.secret('ci/etl')?.versions['1']?.data;
    expect(stored?.['access_key']).toBe(key?.accessKeyId);
    expect(stored?.['secret_key']).toBe((JSON.parse(readFileSync(path.join(dir, 'out', 'etl.json'), 'utf8')) as Record<string, string>)['secret_key']);
  });
});
