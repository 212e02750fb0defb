import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { KeyplanError } from '../errors/errors.js';
import type { OutputSpec } from '../model/desired.js';
import { Secret } from '../model/secret.js';
import type { SecretMaterial } from '../providers/contract.js';
import { OutputError, resolveOutputPath, writeOutputs } from './index.js';
import { thrown } from '../../test/helpers/errors.js';
import { pemBlock } from '../../test/helpers/pem.js';
import { outputContext } from '../../test/helpers/outputs.js';

const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SECRETBODY';
const PEM = `${pemBlock('ENCRYPTED PRIVATE KEY', PEM_BODY)}\nOCI_API_KEY\n`;

const MATERIAL: SecretMaterial = {
  file: new Secret(PEM),
  secrets: { privateKey: new Secret(PEM) },
  values: {
    user: 'ocid1.user.oc1..aaaa',
    fingerprint: '12:34:56:78:90:ab:cd:ef:12:34:56:78:90:ab:cd:ef',
    tenancy: 'ocid1.tenancy.oc1..bbbb',
    region: 'us-ashburn-1',
  },
};

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keyplan-out-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('file output', () => {
  it('writes the material with mode 0600, creating 0700 folders, and no temp files', async () => {
    const baseDir = await tempDir();
    const written = await writeOutputs([{ type: 'file', path: 'secrets/ci.pem' }], MATERIAL, outputContext(baseDir, 'ci'));
    expect(written).toEqual(['secrets/ci.pem']);
    const path = join(baseDir, 'secrets/ci.pem');
    expect(await readFile(path, 'utf8')).toBe(PEM);
    expect(await mode(path)).toBe(0o600);
    expect(await mode(join(baseDir, 'secrets'))).toBe(0o700);
    expect(await readdir(join(baseDir, 'secrets'))).toEqual(['ci.pem']);
  });

  it('replaces an existing file and makes it 0600', async () => {
    const baseDir = await tempDir();
    await writeFile(join(baseDir, 'k.pem'), 'old', { mode: 0o644 });
    await writeOutputs([{ type: 'file', path: 'k.pem' }], MATERIAL, outputContext(baseDir, 'ci'));
    expect(await readFile(join(baseDir, 'k.pem'), 'utf8')).toBe(PEM);
    expect(await mode(join(baseDir, 'k.pem'))).toBe(0o600);
  });

  it('fails with an OutputError naming the path, without the secret, when a parent is a file', async () => {
    const baseDir = await tempDir();
    await writeFile(join(baseDir, 'blocker'), 'not a folder');
    const error = await thrown(writeOutputs([{ type: 'file', path: 'blocker/ci.pem' }], MATERIAL, outputContext(baseDir, 'ci')));
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toBeInstanceOf(KeyplanError);
    expect((error as OutputError).code).toBe('KP_OUTPUT_E0001');
    expect((error as OutputError).outputPath).toBe('blocker/ci.pem');
    expect(error.message).toBe(
      `file output blocker/ci.pem: cannot write ${join(baseDir, 'blocker/ci.pem')}: ENOTDIR: ${join(baseDir, 'blocker')} is a file, not a folder`,
    );
    expectNoSecret(error);
  });
});

describe('env_file output', () => {
  it('writes sorted, prefixed UPPER_SNAKE names with quoting where needed', async () => {
    const baseDir = await tempDir();
    const material: SecretMaterial = {
      file: new Secret(PEM),
      secrets: { privateKey: new Secret(PEM), 'api-token': new Secret('it\'s a "token" $HOME\\x') },
      values: { keyId: 'AKIA123', region: 'eu-west-2', note: 'two words', empty: '' },
    };
    await writeOutputs([{ type: 'env_file', path: 'out/.env', prefix: 'ETL_' }], material, outputContext(baseDir, 'etl'));
    const path = join(baseDir, 'out/.env');
    expect(await mode(path)).toBe(0o600);
    const pemEscaped = PEM.replace(/\n/g, '\\n');
    expect(await readFile(path, 'utf8')).toBe(
      [
        '# managed by keyplan: etl',
        'ETL_API_TOKEN="it\'s a \\"token\\" \\$HOME\\\\x"',
        'ETL_EMPTY=',
        'ETL_KEY_ID=AKIA123',
        "ETL_NOTE='two words'",
        `ETL_PRIVATE_KEY="${pemEscaped}"`,
        'ETL_REGION=eu-west-2',
        '',
      ].join('\n'),
    );
  });

  it('refuses a prefix that makes invalid variable names, without the secret', async () => {
    const baseDir = await tempDir();
    const error = await thrown(writeOutputs([{ type: 'env_file', path: '.env', prefix: 'BAD-' }], MATERIAL, outputContext(baseDir, 'ci')));
    expect((error as OutputError).code).toBe('KP_OUTPUT_E0004');
    expect(error.message).toContain('env_file output .env: "BAD-USER" is not a valid environment variable name; check the prefix');
    expectNoSecret(error);
  });
});

describe('writeOutputs', () => {
  it('writes the file before the oci_config profile that points at it, and resolves ~/', async () => {
    const baseDir = await tempDir();
    const specs: OutputSpec[] = [
      { type: 'oci_config', path: 'cfg/config', profile: 'CI' },
      { type: 'file', path: 'keys/ci.pem' },
    ];
    expect(await writeOutputs(specs, MATERIAL, outputContext(baseDir, 'ci'))).toEqual(['keys/ci.pem', 'cfg/config']);
    expect(await readFile(join(baseDir, 'cfg/config'), 'utf8')).toContain(`key_file=${join(baseDir, 'keys/ci.pem')}\n`);
    expect(resolveOutputPath('/base', '~/x/y')).toMatch(/\/x\/y$/);
    expect(resolveOutputPath('/base', 'x/y')).toBe('/base/x/y');
    expect(resolveOutputPath('/base', '/abs/y')).toBe('/abs/y');
  });

  it('serialises concurrent keys merging into one OCI config file', async () => {
    const baseDir = await tempDir();
    await mkdir(join(baseDir, 'cfg'));
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    await Promise.all(
      names.map((name) =>
        writeOutputs(
          [
            { type: 'file', path: `keys/${name}.pem` },
            { type: 'oci_config', path: 'cfg/config', profile: name.toUpperCase() },
          ],
          MATERIAL,
          outputContext(baseDir, name),
        ),
      ),
    );
    const text = await readFile(join(baseDir, 'cfg/config'), 'utf8');
    for (const name of names) expect(text).toContain(`# managed by keyplan: ${name}\n[${name.toUpperCase()}]\n`);
  });

  it('refuses an oci_config output on a key without a file output', async () => {
    const baseDir = await tempDir();
    const error = await thrown(writeOutputs([{ type: 'oci_config', path: 'config', profile: 'X' }], MATERIAL, outputContext(baseDir, 'ci')));
    expect((error as OutputError).code).toBe('KP_OUTPUT_E0004');
    expect(error.message).toBe("oci_config output config: key ci needs a file output for the profile's key_file to point at");
  });
});

/** No error text, cause or serialised form may carry the secret. */
function expectNoSecret(error: Error): void {
  const seen = [error.message, String(error.cause ?? ''), JSON.stringify(error), error.stack ?? ''].join('\n');
  expect(seen).not.toContain(PEM_BODY);
}
