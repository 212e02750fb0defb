/**
 * An emulator's store document as a running emulator sees it: its store file with the
 * change log beside it (`store.json.log`) applied, read without writing anything, so a
 * test can look while `sandbox serve` still runs (the file alone lags behind the log).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyLine, readLines } from '../../src/emulators/shared/store-log.js';

/** The document of `<dataDir>/<provider>/store.json` with its log applied. */
export function readEmulatorStore<D>(dataDir: string, provider: string): D {
  const file = path.join(dataDir, provider, 'store.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const line of readLines(`${file}.log`, 0)?.lines ?? []) applyLine(doc, line);
  return doc as D;
}
