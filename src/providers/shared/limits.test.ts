/**
 * max_concurrency and requests_per_second in every provider block: a bad value is refused
 * with its keys.yaml line and field, and each vendor's defaults apply when unset (without a
 * rate limit for the sandbox or an emulator on this machine).
 */
import { describe, expect, it } from 'vitest';
import { problems, yaml } from '../../../test/config/helpers.js';
import { dataosProvider } from '../dataos/provider.js';
import { ociProvider } from '../oci/provider.js';
import { outscaleProvider } from '../outscale/provider.js';
import type { ProviderModule } from '../module.js';

/** A config whose only provider block (line 3) is `block`, with no keys. */
const config = (block: string): string => yaml('version: 1', 'providers:', `  p: ${block}`, 'keys: []');

const BLOCKS: Readonly<Record<string, string>> = {
  oci: 'type: oci, region: eu-frankfurt-1',
  outscale: 'type: outscale, region: eu-west-2',
  dataos: 'type: dataos, url: "https://acme.dataos.app", token_env: T',
};

describe('max_concurrency and requests_per_second', () => {
  for (const [type, base] of Object.entries(BLOCKS)) {
    it(`are accepted in a ${type} block, and bad values name their line and field`, () => {
      expect(problems(config(`{ ${base}, max_concurrency: 2, requests_per_second: 0.5 }`))).toEqual([]);
      const col = 3 + `p: { ${base}, `.length;
      const at = (value: string) => problems(config(`{ ${base}, ${value} }`));
      const concurrency = `keys.yaml:3:${col + 'max_concurrency: '.length}: providers.p.max_concurrency: must be a whole number from 1 to 256`;
      const rate = `keys.yaml:3:${col + 'requests_per_second: '.length}: providers.p.requests_per_second: must be a number above 0 and at most 10000 (calls started per second)`;
      for (const bad of ['0', '2.5', '1000', 'many']) expect(at(`max_concurrency: ${bad}`)).toEqual([concurrency]);
      for (const bad of ['0', '-3', '20000', 'fast']) expect(at(`requests_per_second: ${bad}`)).toEqual([rate]);
    });
  }

  it('names a bad value on its own line when the block spans several', () => {
    const text = yaml('version: 1', 'providers:', '  p:', '    type: outscale', '    region: eu-west-2', '    requests_per_second: -3', 'keys: []');
    expect(problems(text)).toEqual(['keys.yaml:6:26: providers.p.requests_per_second: must be a number above 0 and at most 10000 (calls started per second)']);
  });
});

describe('provider limits', () => {
  const limits = (module: ProviderModule, settings: Record<string, unknown>) => module.limits?.({ name: 'p', type: module.type, settings });

  it("are each vendor's defaults when unset, and what the block says otherwise", () => {
    expect(limits(ociProvider, {})).toEqual({ maxConcurrency: 4, requestsPerSecond: 10 });
    expect(limits(outscaleProvider, {})).toEqual({ maxConcurrency: 8, requestsPerSecond: 20 });
    expect(limits(dataosProvider, { url: 'https://acme.dataos.app', token_env: 'T' })).toEqual({ maxConcurrency: 8, requestsPerSecond: 20 });
    expect(limits(outscaleProvider, { max_concurrency: 1, requests_per_second: 2.5 })).toEqual({ maxConcurrency: 1, requestsPerSecond: 2.5 });
  });

  it('have no default rate limit against the sandbox or an emulator on 127.0.0.1, unless the block sets one', () => {
    expect(limits(ociProvider, { endpoint: 'sandbox' })).toEqual({ maxConcurrency: 4 });
    expect(limits(outscaleProvider, { endpoint: 'http://127.0.0.1:9000' })).toEqual({ maxConcurrency: 8 });
    expect(limits(dataosProvider, { url: 'http://localhost:8080', token_env: 'T' })).toEqual({ maxConcurrency: 8 });
    expect(limits(outscaleProvider, { endpoint: 'sandbox', requests_per_second: 5 })).toEqual({ maxConcurrency: 8, requestsPerSecond: 5 });
  });
});
