/**
 * Finding and reading the credentials files the provider tools share with keyplan
 * (e.g. a CLI's `~/.tool/config`): paths are written as those tools accept
 * them, and a file that cannot be read is reported by what the user can act on.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';

/** Expands `~` and `~/` to `home` and resolves relative paths against `baseDir`. */
export function expandPath(path: string, baseDir: string, home: string): string {
  if (path === '~') return home;
  // `~\` too: a keys.yaml written on Windows may use either separator.
  if (path.startsWith('~/') || path.startsWith('~\\')) return resolve(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Reads `file` as UTF-8. When it cannot be read, throws the error `failure` builds from
 * `why` — `does not exist`, or `cannot be read (EACCES)` — and the cause.
 */
export async function readTextFile(file: string, failure: (why: string, cause: unknown) => Error): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw failure(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`, err);
  }
}
