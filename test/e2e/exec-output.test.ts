/**
 * The `exec` output end to end with the built CLI and the DataOS sandbox: a script that
 * stores the token it reads on stdin delivers a token that authenticates at Heimdall;
 * a script that echoes its stdin and exits 1 fails the key (deleted again, the file
 * output written before it removed, exit 4) without the token appearing in keyplan's
 * stdout, stderr or debug log, and the next apply converges once the script is fixed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDataosEmulator } from '../../src/emulators/dataos/index.js';
import { keyplan, tempDir } from '../helpers/cli.js';

const config = `version: 1
providers:
  dataos: { type: dataos, endpoint: sandbox }
keys:
  - name: spark
    kind: dataos.api_key
    provider: dataos
    token_name: spark-job
    outputs:
      - { type: exec, command: [node, deliver.mjs, out/spark.token], undo: [node, undo.mjs], timeout: 20s }
      - { type: file, path: out/spark.file }
`;

// Stores the document's `file` (the bare token) where its argument says; keeps a copy of the whole document for the test.
const DELIVER = `import { mkdirSync, writeFileSync } from 'node:fs';
const chunks = []; for await (const c of process.stdin) chunks.push(c);
const text = Buffer.concat(chunks).toString();
writeFileSync('seen.json', text);
const doc = JSON.parse(text);
mkdirSync('out', { recursive: true });
writeFileSync(process.argv[2], doc.file, { mode: 0o600 });
`;
// Echoes everything it got, as a careless script would, then fails.
const ECHO_AND_FAIL = `const chunks = []; for await (const c of process.stdin) chunks.push(c);
const text = Buffer.concat(chunks).toString();
(await import('node:fs')).writeFileSync('seen.json', text);
process.stdout.write(text);
console.error('could not store', JSON.parse(text).secrets);
process.exit(1);
`;
const UNDO = `(await import('node:fs')).rmSync('out/spark.token', { force: true });\n`;

async function authorizes(dir: string, token: string): Promise<boolean> {
  const emu = await startDataosEmulator({ dataDir: path.join(dir, '.keyplan', 'sandbox', 'dataos') });
  try {
    const res = await fetch(`${emu.url}/heimdall/api/v1/authorize`, { method: 'POST', body: JSON.stringify({ token }) });
    return ((await res.json()) as { valid?: boolean }).valid === true;
  } finally {
    await emu.close();
  }
}

describe('the exec output', () => {
  it('delivers a DataOS token through a script; a failing, echoing script rolls back without leaking it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'keys.yaml'), config);
    writeFileSync(path.join(dir, 'undo.mjs'), UNDO);
    const log = path.join(dir, 'debug.log');
    const env = { KEYPLAN_LOG: 'debug', KEYPLAN_LOG_FILE: log };

    writeFileSync(path.join(dir, 'deliver.mjs'), ECHO_AND_FAIL);
    const failed = await keyplan(dir, ['apply', '--auto-approve'], env);
    expect(failed.code, failed.stderr).toBe(4);
    expect(failed.stderr).toContain("spark: the new key's secret could not be written to its outputs, so the key was deleted again");
    expect(failed.stderr).toContain('exec output node deliver.mjs out/spark.token: the command exited with code 1; it printed:');
    const echoed = JSON.parse(readFileSync(path.join(dir, 'seen.json'), 'utf8')) as { file: string; key: { name: string; kind: string } };
    expect(echoed.key).toMatchObject({ name: 'spark', kind: 'dataos.api_key' });
    // The file output is written first (order 0), so the rollback removed it again.
    expect(existsSync(path.join(dir, 'out', 'spark.file'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const text of [failed.stdout, failed.stderr, readFileSync(log, 'utf8')]) expect(text).not.toContain(echoed.file);
    expect(await authorizes(dir, echoed.file)).toBe(false);

    // Nothing left behind: the next plan creates the key again and sees nothing unmanaged.
    const plan = await keyplan(dir, ['plan'], {});
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to rotate, 0 to update, 0 to delete.');
    expect(plan.stdout).toContain('(caller)/keyplan-sandbox-bootstrap');
    // Only the sandbox's bootstrap token is unmanaged; the rolled-back spark-job token is gone.
    expect(plan.stdout).not.toContain('(caller)/spark-job');

    writeFileSync(path.join(dir, 'deliver.mjs'), DELIVER);
    const applied = await keyplan(dir, ['apply', '--auto-approve'], env);
    expect(applied.code, applied.stderr).toBe(0);
    const token = readFileSync(path.join(dir, 'out', 'spark.token'), 'utf8');
    expect(readFileSync(path.join(dir, 'out', 'spark.file'), 'utf8')).toBe(token);
    expect(await authorizes(dir, token)).toBe(true);
    for (const text of [applied.stdout, applied.stderr, readFileSync(log, 'utf8')]) expect(text).not.toContain(token);
    expect((await keyplan(dir, ['plan', '--detailed-exitcode'], {})).code).toBe(0);
  }, 90_000);
});
