/** keyplan's own version, from package.json (one level above dist/ and src/). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version in package.json, e.g. `0.1.0`. Saved plans record it; apply refuses another version's plan. */
export function keyplanVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
