import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Secret } from '../../../model/secret.js';
import type { SecretMaterial } from '../../contract.js';
import { thrown } from '../../../../test/helpers/errors.js';
import { OutputError, writeOutputs } from '../../../outputs/index.js';
import { outputContext } from '../../../../test/helpers/outputs.js';

const SECRET = 'QWERTYUIOPASDFGHJKLZXCVBNM0123456789QWER';
const material = (accessKey: string, extra: Record<string, string> = {}): SecretMaterial => ({
  file: new Secret(JSON.stringify({ access_key: accessKey, secret_key: SECRET, region: 'eu-west-2' })),
  secrets: { secret_key: new Secret(SECRET) },
  values: { access_key: accessKey, region: 'eu-west-2', ...extra },
});

const FOREIGN = {
  default: {
    access_key: 'AKOPERATOR0000000000',
    secret_key: 'O'.repeat(40),
    region: 'us-east-2',
    endpoints: { api: 'api.us-east-2.outscale.com' },
    protocol: 'https',
  },
  other: { access_key: 'AKOTHER0000000000000', secret_key: 'P'.repeat(40), region_name: 'eu-west-2', 'x-keyplan-key': 'other-key' },
};

async function setup(existing?: string): Promise<{ baseDir: string; config: string }> {
  const baseDir = await mkdtemp(join(tmpdir(), 'keyplan-osc-'));
  onTestFinished(() => rm(baseDir, { recursive: true, force: true }));
  const config = join(baseDir, 'osc', 'config.json');
  if (existing !== undefined) {
    await mkdir(join(baseDir, 'osc'));
    await writeFile(config, existing, { mode: 0o644 });
  }
  return { baseDir, config };
}

const write = (baseDir: string, keyName: string, profile: string, m: SecretMaterial) =>
  writeOutputs([{ type: 'osc_config', path: 'osc/config.json', profile }], m, outputContext(baseDir, keyName));

const read = async (file: string): Promise<Record<string, Record<string, unknown>>> => JSON.parse(await readFile(file, 'utf8'));

describe('osc_config output', () => {
  it('creates the file with our profile, marked, mode 0600 in a 0700 folder', async () => {
    const { baseDir, config } = await setup();
    await write(baseDir, 'etl', 'etl', material('AKNEW000000000000000'));
    expect(await read(config)).toEqual({ etl: { 'x-keyplan-key': 'etl', access_key: 'AKNEW000000000000000', secret_key: SECRET, region: 'eu-west-2' } });
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect((await stat(join(baseDir, 'osc'))).mode & 0o777).toBe(0o700);
  });

  it('adds a profile without touching the others, and writes endpoints.api for a custom endpoint', async () => {
    const { baseDir, config } = await setup(JSON.stringify(FOREIGN));
    await write(baseDir, 'etl', 'etl-profile', material('AKNEW000000000000000', { endpoint_api: 'http://127.0.0.1:9/api/v1' }));
    const after = await read(config);
    expect(Object.keys(after)).toEqual(['default', 'other', 'etl-profile']);
    expect(after['default']).toEqual(FOREIGN.default);
    expect(after['other']).toEqual(FOREIGN.other);
    expect(after['etl-profile']).toEqual({
      'x-keyplan-key': 'etl',
      access_key: 'AKNEW000000000000000',
      secret_key: SECRET,
      region: 'eu-west-2',
      endpoints: { api: 'http://127.0.0.1:9/api/v1' },
    });
    expect((await stat(config)).mode & 0o777).toBe(0o600);
  });

  it('replaces its own profile in place on rotation', async () => {
    const { baseDir, config } = await setup(JSON.stringify(FOREIGN));
    await write(baseDir, 'etl', 'etl', material('AKFIRST0000000000000'));
    await write(baseDir, 'etl', 'etl', material('AKSECOND000000000000'));
    const after = await read(config);
    expect(Object.keys(after)).toEqual(['default', 'other', 'etl']);
    expect(after['etl']?.['access_key']).toBe('AKSECOND000000000000');
  });

  it('refuses a profile it does not own, naming a keyplan owner, and leaves the file as it was', async () => {
    const text = JSON.stringify(FOREIGN, null, 4);
    const { baseDir, config } = await setup(text);
    const foreign = await thrown(write(baseDir, 'etl', 'default', material('AKNEW000000000000000')));
    expect(foreign).toBeInstanceOf(OutputError);
    expect(foreign).toMatchObject({ code: 'KP_OUTPUT_E0002' });
    expect(foreign.message).toBe(
      `osc_config output osc/config.json: profile default in ${config} is not managed by keyplan key etl; refusing to overwrite. Choose another profile name, or remove that profile from the file`,
    );
    const other = await thrown(write(baseDir, 'etl', 'other', material('AKNEW000000000000000')));
    expect(other.message).toContain('(it belongs to keyplan key other-key)');
    expect(await readFile(config, 'utf8')).toBe(text);
  });

  it('refuses a file that is not a JSON object without quoting it', async () => {
    const { baseDir } = await setup(`{"default": {"secret_key": "${'Z'.repeat(40)}",`);
    const error = await thrown(write(baseDir, 'etl', 'etl', material('AKNEW000000000000000')));
    expect(error).toMatchObject({ code: 'KP_OUTPUT_E0005' });
    expect(error.message).not.toContain('Z'.repeat(40));
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses material that is not an OUTSCALE access key', async () => {
    const { baseDir } = await setup();
    const oci: SecretMaterial = { file: new Secret('pem'), secrets: { private_key: new Secret('pem') }, values: { user: 'u', region: 'r' } };
    const error = await thrown(write(baseDir, 'ci', 'ci', oci));
    expect(error.message).toContain('use it only with kind outscale.access_key');
  });

  it('keeps a profile named like an Object.prototype member an ordinary entry', async () => {
    const { baseDir, config } = await setup('{"__proto__": {"x-keyplan-key": "etl", "access_key": "OLD"}}');
    await write(baseDir, 'etl', '__proto__', material('AKNEW000000000000000'));
    const text = await readFile(config, 'utf8');
    expect(text).toContain('"__proto__": {');
    expect(text).toContain('"access_key": "AKNEW000000000000000"');
  });
});
