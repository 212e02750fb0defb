/**
 * A run killed during a state write (SIGKILL, power loss) leaves the atomic write's temp
 * file behind. The next run that takes the lock removes such files, and only those: files
 * of the state's own temp pattern in the state's own folder.
 */
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LocalStateStore } from './local-store.js';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'keyplan-tmpfiles-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Names a killed write would leave, and neighbours that must survive. */
const STALE = ['.state.json.0123456789ab.tmp', '.state.json.ffffffffffff.tmp'];
const KEPT = [
  '.state.json.0123456789ab.tmp.keep', // not the pattern's end
  '.state.json.xyz.tmp', // not 12 hex digits
  '.other.json.0123456789ab.tmp', // another file's temp (a secret sink's)
  'state.json.0123456789ab.tmp', // not hidden
  'notes.tmp',
];

describe('LocalStateStore and temp files of killed writes', () => {
  it('removes its own stale temp files when a run takes the lock, and keeps everything else', async () => {
    const dir = join(await tempDir(), '.keyplan');
    await mkdir(dir, { recursive: true });
    for (const name of [...STALE, ...KEPT]) await writeFile(join(dir, name), '');
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', STALE[0] as string), '');
    const store = new LocalStateStore(join(dir, 'state.json'));

    const lock = await store.lock('apply');
    const written = await store.write(await store.read());
    await store.unlock(lock.id);
    expect(written.serial).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([...KEPT, 'state.json', 'sub'].sort());
    expect(await readdir(join(dir, 'sub'))).toEqual([STALE[0]]);
  });

  it('leaves the files alone when another run holds the lock', async () => {
    const dir = join(await tempDir(), '.keyplan');
    await mkdir(dir, { recursive: true });
    const holder = new LocalStateStore(join(dir, 'state.json'));
    const lock = await holder.lock('apply');
    // Written after the holder's lock: it could be the holder's write in progress.
    await writeFile(join(dir, STALE[0] as string), '');
    await expect(new LocalStateStore(join(dir, 'state.json')).lock('plan')).rejects.toThrow('state is locked');
    expect(await readdir(dir)).toContain(STALE[0]);
    await holder.unlock(lock.id);
  });

  it('cleans beside the real file when the state path is a symlink', async () => {
    const root = await tempDir();
    const real = join(root, 'real');
    await mkdir(real);
    await writeFile(join(real, 'kept-state.json'), '');
    await writeFile(join(real, '.kept-state.json.0123456789ab.tmp'), '');
    await mkdir(join(root, '.keyplan'));
    await symlink(join(real, 'kept-state.json'), join(root, '.keyplan', 'state.json'));
    const store = new LocalStateStore(join(root, '.keyplan', 'state.json'));
    await store.unlock((await store.lock('plan')).id);
    expect(await readdir(real)).toEqual(['kept-state.json']);
  });
});
