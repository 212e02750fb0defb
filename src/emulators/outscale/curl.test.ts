import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startOutscaleEmulator } from './index.js';

// curl ≥ 7.75 signs with `--aws-sigv4 osc` (OSC4) and `aws:amz` (AWS4): a signer written
// independently of keyplan's, so the verifier is not only checked against itself.
const curlVersion = /^curl (\d+)\.(\d+)/.exec(spawnSync('curl', ['--version'], { encoding: 'utf8' }).stdout ?? '');
const hasSigv4 = curlVersion !== null && Number(curlVersion[1]) * 1000 + Number(curlVersion[2]) >= 7075;
const run = promisify(execFile);

describe.skipIf(!hasSigv4)('OUTSCALE emulator against curl --aws-sigv4', () => {
  it.each([
    ['osc', 200],
    ['osc:osc:eu-west-2:api', 200],
    ['aws:amz:eu-west-2:api', 200],
  ])('accepts %s signatures from curl, and refuses them with a wrong secret', async (sig, status) => {
    const emu = await startOutscaleEmulator({ lockoutAfter: 0 });
    onTestFinished(() => emu.close());
    const send = async (secret: string): Promise<string> => {
      // execFile, not execFileSync: the emulator answers on this process's event loop.
      const { stdout } = await run('curl', [
        '-s',
        '--max-time',
        '10',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'POST',
        `${emu.url}/api/v1/ReadAccessKeys`,
        '--user',
        `${emu.account.accessKey}:${secret}`,
        '--aws-sigv4',
        sig,
        '-H',
        'Content-Type: application/json',
        '--data',
        '{}',
      ]);
      return stdout;
    };
    expect(await send(emu.account.secretKey)).toBe(String(status));
    expect(await send('W'.repeat(40))).toBe('401');
  });
});
