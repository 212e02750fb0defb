/** The exec output runs a real child process (node scripts written per test) with the key document on stdin. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Secret } from '../../model/secret.js';
import type { SecretMaterial } from '../../providers/contract.js';
import { thrown } from '../../../test/helpers/errors.js';
import { outputContext } from '../../../test/helpers/outputs.js';
import { OutputError, writeOutputs } from '../index.js';
import { logger, setLogger } from '../../log/logger.js';
import winston from 'winston';
import { Writable } from 'node:stream';
import type { OutputModule } from '../../providers/module.js';
import { defaultRegistry } from '../../providers/registry.js';

const TOKEN = 'dataos-token-SECRET-0123456789abcdef';
const PEM_LINE = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SECRETLINE';
const material: SecretMaterial = {
  file: new Secret(TOKEN),
  secrets: { apikey: new Secret(TOKEN), pem: new Secret(`-----BEGIN X-----\n${PEM_LINE}\n-----END X-----\n`) },
  values: { user: 'svc-spark', region: 'eu' },
};

async function dir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'keyplan-exec-'));
  onTestFinished(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** Writes a node script into `d` and returns the argv that runs it. */
async function script(d: string, name: string, body: string): Promise<string[]> {
  await writeFile(join(d, name), body);
  return [process.execPath, name];
}

const READ_STDIN = `const chunks = []; for await (const c of process.stdin) chunks.push(c); const text = Buffer.concat(chunks).toString();`;

/** Captures the debug log while `fn` runs. */
async function withDebugLog<T>(fn: () => Promise<T>): Promise<{ result: T | Error; log: string }> {
  let log = '';
  const previous = logger();
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => ((log += chunk.toString()), done()) });
  setLogger(winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] }));
  try {
    return { result: await fn().catch((e: unknown) => e as Error), log };
  } finally {
    setLogger(previous);
  }
}

describe('exec output', () => {
  it('hands the command the versioned key document on stdin and runs it in the config folder', async () => {
    const d = await dir();
    const command = await script(d, 'store.mjs', `${READ_STDIN} (await import('node:fs')).writeFileSync('delivered.json', text);`);
    const ctx = outputContext(d, 'spark', { kind: 'dataos.apikey', owner: 'svc-spark', liveId: 'tok-1' });
    expect(await writeOutputs([{ type: 'exec', command }], material, ctx)).toEqual([command.join(' ')]);
    expect(JSON.parse(await readFile(join(d, 'delivered.json'), 'utf8'))).toEqual({
      keyplan_output: 1,
      key: { name: 'spark', kind: 'dataos.apikey', owner: 'svc-spark', live_id: 'tok-1' },
      values: { region: 'eu', user: 'svc-spark' },
      secrets: { apikey: TOKEN, pem: material.secrets['pem']?.reveal() },
      file: TOKEN,
    });
  });

  it("passes keyplan's environment and the output's env to the command, without a shell", async () => {
    const d = await dir();
    const command = await script(
      d,
      'env.mjs',
      `(await import('node:fs')).writeFileSync('env.txt', [process.env.FROM_HOST, process.env.FROM_SPEC, process.argv[2]].join('|'));`,
    );
    const ctx = outputContext(d, 'k', { env: { FROM_HOST: 'host' } });
    await writeOutputs([{ type: 'exec', command: [...command, '$HOME;echo'], env: { FROM_SPEC: 'spec' } }], material, ctx);
    expect(await readFile(join(d, 'env.txt'), 'utf8')).toBe('host|spec|$HOME;echo');
  });

  it("shows a failing command's output with every secret scrubbed, and never logs it raw", async () => {
    const d = await dir();
    // Echoes its stdin (the whole document, JSON-escaped PEM included), one PEM line and the token, then fails.
    const command = await script(
      d,
      'echo.mjs',
      `${READ_STDIN} const doc = JSON.parse(text); process.stdout.write(text); console.error('token', doc.secrets.apikey, doc.secrets.pem.split('\\n')[1]); process.exit(1);`,
    );
    const { result, log } = await withDebugLog(() => writeOutputs([{ type: 'exec', command }], material, outputContext(d, 'k')));
    expect(result).toBeInstanceOf(OutputError);
    const error = result as OutputError;
    expect(error.code).toBe('KP_OUTPUT_E0006');
    expect(error.message).toBe(`exec output ${command.join(' ')}: the command exited with code 1; it printed: token (sensitive value) (sensitive value)`);
    expect(log).toContain('exec output command ran');
    const seen = [error.message, JSON.stringify(error), log].join('\n');
    expect(seen).not.toContain(TOKEN);
    expect(seen).not.toContain(PEM_LINE);
    expect(seen).not.toContain(PEM_LINE.slice(0, 20));
  });

  it("scrubs the store tokens the key's outputs name, which the command inherits", async () => {
    const d = await dir();
    const STORE_TOKEN = 'store-token-SECRET-9876543210';
    const store: OutputModule = {
      type: 'store',
      summary: 'store',
      schema: {},
      order: 9,
      describe: () => 'store',
      write: async () => undefined,
      envSettings: () => [{ field: 'token_env', holds: 'the store token' }],
    };
    const types = new Map([...defaultRegistry.outputs, ['store', store]]);
    const command = await script(d, 'leak.mjs', `console.error('token is', process.env.STORE_TOKEN); process.exit(1);`);
    const ctx = outputContext(d, 'k', { types, env: { STORE_TOKEN } });
    const error = await thrown(
      writeOutputs(
        [
          { type: 'exec', command },
          { type: 'store', token_env: 'STORE_TOKEN' },
        ],
        material,
        ctx,
      ),
    );
    expect(error.message).toBe(`exec output ${command.join(' ')}: the command exited with code 1; it printed: token is (sensitive value)`);
  });

  it('succeeds on exit 0 and logs only the scrubbed output', async () => {
    const d = await dir();
    const command = await script(d, 'echo.mjs', `${READ_STDIN} process.stdout.write(text);`);
    const { result, log } = await withDebugLog(() => writeOutputs([{ type: 'exec', command }], material, outputContext(d, 'k')));
    expect(result).toEqual([command.join(' ')]);
    expect(log).toContain('keyplan_output');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(PEM_LINE.slice(0, 20));
  });

  it('stops a command that outlives its timeout, with the children it started', async () => {
    const d = await dir();
    const command = await script(
      d,
      'hang.mjs',
      `const { spawn } = await import('node:child_process'); spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' }); setTimeout(() => {}, 60000);`,
    );
    const started = Date.now();
    const error = await thrown(writeOutputs([{ type: 'exec', command, timeout: '300ms' }], material, outputContext(d, 'k')));
    expect(error.message).toBe(`exec output ${command.join(' ')}: the command did not finish within 300ms and was stopped (raise timeout)`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails clearly when the program does not exist', async () => {
    const d = await dir();
    const error = await thrown(writeOutputs([{ type: 'exec', command: ['./no-such-program'] }], material, outputContext(d, 'k')));
    expect(error.message).toBe('exec output ./no-such-program: cannot run the command: ./no-such-program was not found');
  });

  it('fails a command killed by a signal', async () => {
    const d = await dir();
    const command = await script(d, 'crash.mjs', `process.kill(process.pid, 'SIGKILL');`);
    const error = await thrown(writeOutputs([{ type: 'exec', command }], material, outputContext(d, 'k')));
    expect(error.message).toBe(`exec output ${command.join(' ')}: the command was killed by SIGKILL`);
  });

  it('stops the command when keyplan is interrupted', async () => {
    const d = await dir();
    const command = await script(d, 'hang.mjs', `setTimeout(() => {}, 60000);`);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const error = await thrown(writeOutputs([{ type: 'exec', command }], material, outputContext(d, 'k', { signal: abort.signal })));
    expect(error.message).toBe(`exec output ${command.join(' ')}: the command was stopped by the interrupt`);
  });
});

describe('exec output rollback', () => {
  it('runs undo with the same document when a later output fails, and puts files back', async () => {
    const d = await dir();
    const command = await script(d, 'store.mjs', `${READ_STDIN} (await import('node:fs')).writeFileSync('store.json', text);`);
    const undo = await script(
      d,
      'undo.mjs',
      `${READ_STDIN} const fs = await import('node:fs'); if (fs.readFileSync('store.json', 'utf8') === text) fs.rmSync('store.json');`,
    );
    const failing = await script(d, 'fail.mjs', `process.exit(3);`);
    const error = await thrown(
      writeOutputs(
        [
          { type: 'exec', command, undo },
          { type: 'exec', command: failing },
          { type: 'file', path: 'token' },
        ],
        material,
        outputContext(d, 'k'),
      ),
    );
    expect(error.message).toBe(`exec output ${failing.join(' ')}: the command exited with code 3`);
    // The undo script removes store.json only when it gets the document the command stored.
    expect(existsSync(join(d, 'store.json'))).toBe(false);
    expect(existsSync(join(d, 'token'))).toBe(false);
  });

  it('reports an undo that fails, scrubbed, beside the first failure', async () => {
    const d = await dir();
    const ok = await script(d, 'ok.mjs', `process.exit(0);`);
    const badUndo = await script(d, 'bad-undo.mjs', `${READ_STDIN} console.error('cannot remove', JSON.parse(text).secrets.apikey); process.exit(2);`);
    const failing = await script(d, 'fail.mjs', `process.exit(1);`);
    const error = await thrown(
      writeOutputs(
        [
          { type: 'exec', command: ok, undo: badUndo },
          { type: 'exec', command: failing },
        ],
        material,
        outputContext(d, 'k'),
      ),
    );
    expect(error.message).toBe(
      `exec output ${failing.join(' ')}: the command exited with code 1; and putting back what was written before failed: exec output ${ok.join(' ')}: the undo command exited with code 2; it printed: cannot remove (sensitive value)`,
    );
    expect(error.message).not.toContain(TOKEN);
  });
});
