/** keyplan's own version, from package.json (one level above src/ and dist/, two above dist/bundle/). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version in package.json, e.g. `0.1.0`. Saved plans record it; apply refuses another version's plan. */
export function keyplanVersion(): string {
  cached ??= readVersion();
  return cached;
}

function readVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    let text: string;
    try {
      text = readFileSync(new URL(candidate, import.meta.url), 'utf8');
    } catch {
      continue;
    }
    const manifest = JSON.parse(text) as { name?: string; version: string };
    if (manifest.name === 'keyplan') return manifest.version;
  }
  throw new Error('keyplan: package.json not found beside the installed code');
}
