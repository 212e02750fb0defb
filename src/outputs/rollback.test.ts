/** A failing output puts the key's earlier outputs back, unless another key changed them meanwhile. */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Secret } from '../model/secret.js';
import type { SecretMaterial } from '../providers/contract.js';
import { thrown } from '../../test/helpers/errors.js';
import { OutputError, writeOutputs } from './index.js';
import { recordWritten, restoreFiles, snapshotFile } from './rollback.js';
import { outputContext } from '../../test/helpers/outputs.js';

const NEW_SECRET = 'NEWSECRETNEWSECRETNEWSECRETNEWSECRET0000';
const material: SecretMaterial = {
  file: new Secret(`{"secret_key":"${NEW_SECRET}"}`),
  secrets: { secret_key: new Secret(NEW_SECRET) },
  values: { access_key: 'AKNEW000000000000000', region: 'eu-west-2' },
};

async function dir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'keyplan-rollback-'));
  onTestFinished(() => rm(d, { recursive: true, force: true }));
  return d;
}

describe('output rollback', () => {
  it('restores an existing file and removes a new one when a later output fails', async () => {
    const d = await dir();
    await writeFile(join(d, 'old.json'), '{"secret_key":"OLD"}', { mode: 0o640 });
    // A file where a folder should be: unwritable even for root.
    await writeFile(join(d, 'locked'), 'not a folder');
    const error = await thrown(
      writeOutputs(
        [
          { type: 'file', path: 'old.json' },
          { type: 'osc_config', path: 'new/config.json', profile: 'p' },
          { type: 'env_file', path: 'locked/sub/out.env' },
        ],
        material,
        outputContext(d, 'k'),
      ),
    );
    expect(error).toBeInstanceOf(OutputError);
    expect(error.message).toMatch(/^env_file output locked\/sub\/out\.env: cannot write /);
    expect(await readFile(join(d, 'old.json'), 'utf8')).toBe('{"secret_key":"OLD"}');
    expect((await stat(join(d, 'old.json'))).mode & 0o777).toBe(0o640);
    expect(existsSync(join(d, 'new', 'config.json'))).toBe(false);
  });

  it('leaves a file another key changed after this key wrote it', async () => {
    const d = await dir();
    const file = join(d, 'shared.json');
    await writeFile(file, 'before');
    const snap = await snapshotFile(file);
    await writeFile(file, 'ours');
    await recordWritten(snap);
    await writeFile(file, 'theirs');
    expect(await restoreFiles([snap])).toEqual([file]);
    expect(await readFile(file, 'utf8')).toBe('theirs');
  });
});
