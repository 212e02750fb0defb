import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Secret } from '../../../model/secret.js';
import type { SecretMaterial } from '../../contract.js';
import { OutputError, writeOutputs } from '../../../outputs/index.js';
import { thrown } from '../../../../test/helpers/errors.js';
import { pemBlock } from '../../../../test/helpers/pem.js';
import { outputContext } from '../../../../test/helpers/outputs.js';

const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7SECRETBODY';
const material = (fingerprint: string): SecretMaterial => ({
  file: new Secret(`${pemBlock('PRIVATE KEY', PEM_BODY)}\n`),
  secrets: {},
  values: { user: 'ocid1.user.oc1..u', fingerprint, tenancy: 'ocid1.tenancy.oc1..t', region: 'eu-frankfurt-1' },
});

const EXISTING = [
  '# my OCI settings',
  '[DEFAULT]',
  'user=ocid1.user.oc1..admin',
  'fingerprint=aa:bb',
  'key_file=~/.oci/admin.pem   ',
  'tenancy=ocid1.tenancy.oc1..t',
  'region=us-ashburn-1',
  '',
  '; python-style comment about ADMIN',
  '[ADMIN]',
  'user = ocid1.user.oc1..other',
  '',
].join('\n');

async function setup(existing?: string | Buffer): Promise<{ baseDir: string; config: string }> {
  const baseDir = await mkdtemp(join(tmpdir(), 'keyplan-oci-'));
  onTestFinished(() => rm(baseDir, { recursive: true, force: true }));
  const config = join(baseDir, 'config');
  if (existing !== undefined) await writeFile(config, existing, { mode: 0o644 });
  return { baseDir, config };
}

const write = (baseDir: string, keyName: string, profile: string, fingerprint = '11:22') =>
  writeOutputs(
    [
      { type: 'file', path: `keys/${keyName}.pem` },
      { type: 'oci_config', path: 'config', profile },
    ],
    material(fingerprint),
    outputContext(baseDir, keyName),
  );

const section = (baseDir: string, keyName: string, profile: string, fingerprint = '11:22'): string =>
  [
    `# managed by keyplan: ${keyName}`,
    `[${profile}]`,
    'user=ocid1.user.oc1..u',
    `fingerprint=${fingerprint}`,
    'tenancy=ocid1.tenancy.oc1..t',
    'region=eu-frankfurt-1',
    `key_file=${join(baseDir, 'keys', `${keyName}.pem`)}`,
    '',
  ].join('\n');

describe('oci_config output', () => {
  it('creates the file with only our profile, mode 0600, without pass_phrase', async () => {
    const { baseDir, config } = await setup();
    await write(baseDir, 'ci', 'CI');
    expect(await readFile(config, 'utf8')).toBe(section(baseDir, 'ci', 'CI'));
    expect((await stat(config)).mode & 0o777).toBe(0o600);
  });

  it('appends to an existing file, keeping every other byte', async () => {
    const { baseDir, config } = await setup(EXISTING);
    await write(baseDir, 'ci', 'CI');
    expect(await readFile(config, 'utf8')).toBe(`${EXISTING}\n${section(baseDir, 'ci', 'CI')}`);
    expect((await stat(config)).mode & 0o777).toBe(0o600);
  });

  it('adds a line end and a blank line when the file lacks them', async () => {
    const { baseDir, config } = await setup('[DEFAULT]\nregion=x');
    await write(baseDir, 'ci', 'CI');
    expect(await readFile(config, 'utf8')).toBe(`[DEFAULT]\nregion=x\n\n${section(baseDir, 'ci', 'CI')}`);
  });

  it('replaces its own profile on a second write, leaving neighbours and their comments alone', async () => {
    const { baseDir, config } = await setup(EXISTING);
    await write(baseDir, 'ci', 'CI', '11:11');
    await write(baseDir, 'other', 'OTHER', '22:22');
    const after = `${EXISTING}\n${section(baseDir, 'ci', 'CI', '11:11')}\n${section(baseDir, 'other', 'OTHER', '22:22')}`;
    expect(await readFile(config, 'utf8')).toBe(after);
    // Rotating ci rewrites only its block; OTHER's marker right below it survives.
    await write(baseDir, 'ci', 'CI', '33:33');
    expect(await readFile(config, 'utf8')).toBe(after.replace('fingerprint=11:11', 'fingerprint=33:33'));
    // A second identical write changes nothing.
    await write(baseDir, 'ci', 'CI', '33:33');
    expect(await readFile(config, 'utf8')).toBe(after.replace('fingerprint=11:11', 'fingerprint=33:33'));
  });

  it('replaces its own profile in the middle of a CRLF file with non-UTF-8 bytes around it', async () => {
    const before = Buffer.from('# caf\xe9 latin1 comment\r\n[DEFAULT]\r\nregion=x\r\n\r\n', 'latin1');
    const after = Buffer.from('\r\n# about LAST\r\n[LAST]\r\nuser=z\r\n', 'latin1');
    const ours = '# managed by keyplan: ci\r\n[CI]\r\nuser=old\r\nextra=dropped\r\n';
    const { baseDir, config } = await setup(Buffer.concat([before, Buffer.from(ours), after]));
    await write(baseDir, 'ci', 'CI');
    const expected = Buffer.concat([before, Buffer.from(section(baseDir, 'ci', 'CI').replace(/\n/g, '\r\n')), after]);
    expect((await readFile(config)).equals(expected)).toBe(true);
  });

  it('refuses to overwrite a profile it did not write', async () => {
    const { baseDir, config } = await setup(EXISTING);
    const error = await thrown(write(baseDir, 'ci', 'ADMIN'));
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).code).toBe('KP_OUTPUT_E0002');
    expect(error.message).toContain(`profile ADMIN in ${config} is not managed by keyplan key ci; refusing to overwrite`);
    expect(error.message).not.toContain(PEM_BODY);
    expect(await readFile(config, 'utf8')).toBe(EXISTING);
  });

  it("refuses to overwrite another key's profile and names that key", async () => {
    const { baseDir, config } = await setup();
    await write(baseDir, 'ci', 'SHARED');
    const before = await readFile(config, 'utf8');
    const error = await thrown(write(baseDir, 'etl', 'SHARED'));
    expect(error.message).toContain('profile SHARED in');
    expect(error.message).toContain('is not managed by keyplan key etl; refusing to overwrite (its marker names keyplan key ci)');
    expect(await readFile(config, 'utf8')).toBe(before);
  });

  it('refuses a profile that appears twice', async () => {
    const { baseDir } = await setup('# managed by keyplan: ci\n[CI]\nuser=a\n[CI]\nuser=b\n');
    expect((await thrown(write(baseDir, 'ci', 'CI'))).message).toContain('profile CI appears 2 times');
  });

  it('reports a missing value as an adapter bug', async () => {
    const { baseDir } = await setup();
    const partial = { ...material('x'), values: { user: 'u', tenancy: 't', region: 'r' } };
    const error = await thrown(
      writeOutputs(
        [
          { type: 'file', path: 'k.pem' },
          { type: 'oci_config', path: 'config', profile: 'P' },
        ],
        partial,
        outputContext(baseDir, 'ci'),
      ),
    );
    expect((error as OutputError).source).toBe('internal');
    expect(error.message).toContain('bug in the provider adapter: it gave no usable `fingerprint` value');
  });

  it('writes through a symlinked config file', async () => {
    const { baseDir } = await setup();
    await writeFile(join(baseDir, 'real-config'), '[DEFAULT]\n');
    await symlink(join(baseDir, 'real-config'), join(baseDir, 'config'));
    await write(baseDir, 'ci', 'CI');
    expect(await readFile(join(baseDir, 'real-config'), 'utf8')).toBe(`[DEFAULT]\n\n${section(baseDir, 'ci', 'CI')}`);
  });

  it('fails with an OutputError naming the file when it cannot be read', async () => {
    const { baseDir, config } = await setup('[DEFAULT]\n');
    await chmod(config, 0o000);
    onTestFinished(() => chmod(config, 0o600));
    // Root reads anything; the check only means something for ordinary users.
    if (process.getuid?.() === 0) return;
    const error = await thrown(write(baseDir, 'ci', 'CI'));
    expect(error.message).toContain(`oci_config output config: cannot write ${config}: EACCES`);
  });
});
