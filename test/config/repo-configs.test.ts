/** The repository's own configs (the sandbox demo and the examples) must stay valid. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const examples = readdirSync(`${root}examples`)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `examples/${f}`);

describe('repository configs', () => {
  it.each(['keys.yaml', ...examples])('%s loads', async (file) => {
    // checkEnv off: validity of the file, not of this machine's environment.
    const config = await loadConfig(`${root}${file}`, { env: {}, checkEnv: false });
    expect(config.keys.length).toBeGreaterThan(0);
  });
});
