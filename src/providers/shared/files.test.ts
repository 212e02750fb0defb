/** Credentials file paths and reads, on a temp folder. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/cli.js';
import { expandPath, readTextFile } from './files.js';

describe('expandPath', () => {
  it('expands ~ and resolves relative paths against the base folder', () => {
    expect(expandPath('~', '/base', '/home/me')).toBe('/home/me');
    expect(expandPath('~/.osc/config.json', '/base', '/home/me')).toBe('/home/me/.osc/config.json');
    expect(expandPath('~/.oci/config', '/base', '/home/me')).toBe('/home/me/.oci/config');
    expect(expandPath('~\\cfg', '/base', '/home/me')).toBe('/home/me/cfg');
    expect(expandPath('cfg/oci', '/base', '/home/me')).toBe('/base/cfg/oci');
    expect(expandPath('/abs', '/base', '/home/me')).toBe('/abs');
  });
});

describe('readTextFile', () => {
  const failure = (why: string, cause: unknown): Error => new Error(`file ${why}`, { cause });

  it('reads UTF-8 text', async () => {
    const file = join(tempDir('keyplan-files-'), 'c');
    writeFileSync(file, 'région = x\n');
    await expect(readTextFile(file, failure)).resolves.toBe('région = x\n');
  });

  it('says a missing file does not exist, and other failures by their code', async () => {
    const dir = tempDir('keyplan-files-');
    await expect(readTextFile(join(dir, 'none'), failure)).rejects.toThrow('file does not exist');
    // A folder cannot be read as a file: EISDIR, whoever runs the test (root ignores modes).
    await expect(readTextFile(dir, failure)).rejects.toThrow('file cannot be read (EISDIR)');
    const err = await readTextFile(join(dir, 'none'), failure).catch((e: unknown) => e);
    expect((err as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});
