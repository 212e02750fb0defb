/** The DataOS adapter's pure parts: name generations, backoff, wire parsing, live ids and settings (the abortable pause is tested in ../shared). */
import { describe, expect, it } from 'vitest';
import { familiesOverlap, generationOf, nextGenerationName } from '../../model/name-family.js';
import { backoffMs } from './retry.js';
import { parseAuthorize, parseCreatedToken, parseTokenList } from './wire.js';
import { liveIdOf, tokenNameOf, toLiveKey } from './live.js';
import { parseDataosSettings } from './settings.js';

describe('name generations', () => {
  it('knows its family and picks one past the highest generation', () => {
    expect(generationOf('x', 'x')).toBe(1);
    expect(generationOf('x', 'x-2')).toBe(2);
    expect(generationOf('x', 'x-17')).toBe(17);
    for (const other of ['x-1', 'x-02', 'x-', 'x2', 'xy-2', 'x-2-3', 'y']) expect(generationOf('x', other)).toBeUndefined();
    expect(nextGenerationName('x', [])).toBe('x');
    expect(nextGenerationName('x', ['other', 'x-2-3'])).toBe('x');
    expect(nextGenerationName('x', ['x'])).toBe('x-2');
    // Past the highest, not into a gap: x was deleted after x-2 replaced it.
    expect(nextGenerationName('x', ['x-2'])).toBe('x-3');
    expect(nextGenerationName('x', ['x', 'x-9', 'x-3'])).toBe('x-10');
    expect(familiesOverlap('x', 'x-2')).toBe(true);
    expect(familiesOverlap('x-2', 'x')).toBe(true);
    expect(familiesOverlap('x-2', 'x-3')).toBe(false);
    expect(familiesOverlap('x', 'xy')).toBe(false);
  });
});

describe('backoff', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles with jitter, honours Retry-After, and is capped', () => {
    expect(backoffMs(policy, 1, null, () => 0)).toBe(50);
    expect(backoffMs(policy, 3, null, () => 0.999)).toBeCloseTo(400, 0);
    expect(backoffMs(policy, 9, null, () => 1)).toBe(1_000);
    expect(backoffMs(policy, 1, '0.2')).toBe(200);
    expect(backoffMs(policy, 1, '60')).toBe(1_000);
    expect(backoffMs(policy, 1, 'Wed, 21 Oct 2015 07:28:00 GMT', () => 0)).toBe(50);
  });
});

describe('wire', () => {
  it('reads token lists without their secrets and refuses what is not one', () => {
    const listed = parseTokenList([{ name: 'a', type: 'apikey', expiration: '2025-04-13T05:30:00+05:30', data: { apikey: 'c2VjcmV0' } }, { name: 'b' }]);
    expect(listed).toEqual([
      { name: 'a', type: 'apikey', expiration: '2025-04-13T00:00:00.000Z' },
      { name: 'b', type: '' },
    ]);
    expect(JSON.stringify(listed)).not.toContain('c2VjcmV0');
    expect(parseTokenList({ tokens: [] })).toBe('expected a list of tokens, got object');
    expect(parseTokenList([{ type: 'apikey' }])).toBe('a list item has no token name');
  });

  it("takes a created token's secret from data.apikey, wrapped", () => {
    const created = parseCreatedToken({ name: 'a', type: 'apikey', expiration: '2025-01-01T00:00:00Z', data: { apikey: 'YS4xMjM=' } });
    expect(typeof created === 'string' ? created : created.token.reveal()).toBe('YS4xMjM=');
    expect(JSON.stringify(created)).not.toContain('YS4xMjM=');
    expect(parseCreatedToken({ name: 'a', data: {} })).toBe('token a came without data.apikey');
  });

  it('reads authorize answers', () => {
    expect(parseAuthorize({ allow: true, valid: true, result: { id: 'iamgroot', tags: [] } })).toEqual({ valid: true, userId: 'iamgroot' });
    expect(parseAuthorize({ allow: false, valid: false, error: { status: 401, message: 'expired' } })).toEqual({
      valid: false,
      status: 401,
      message: 'expired',
    });
    expect(parseAuthorize({ valid: true })).toBe('the token is valid but result.id is missing');
    expect(parseAuthorize('nope')).toBe('expected a JSON object');
  });
});

describe('live keys', () => {
  it('identifies a token by owner and name, and marks expired ones inactive', () => {
    expect(liveIdOf('(caller)', 'presto-2')).toBe('(caller)/presto-2');
    expect(tokenNameOf('(caller)', '(caller)/presto-2')).toBe('presto-2');
    expect(tokenNameOf('alice', '(caller)/presto-2')).toBeUndefined();
    const token = { name: 't', type: 'apikey', expiration: '2025-01-01T00:00:00.000Z' };
    const scope = { provider: 'dataos', owner: 'alice', userId: 'alice' };
    expect(toLiveKey(token, scope, Date.parse('2024-12-31T00:00:00Z'))).toEqual({
      provider: 'dataos',
      kind: 'dataos.api_key',
      owner: 'alice',
      id: 'alice/t',
      status: 'active',
      expiresAt: token.expiration,
      attributes: { live_name: 't', user_id: 'alice', expiration: token.expiration },
    });
    expect(toLiveKey(token, scope, Date.parse('2025-01-01T00:00:00Z')).status).toBe('inactive');
  });
});

describe('settings', () => {
  const block = (settings: Record<string, unknown>) => ({ name: 'd', type: 'dataos', settings });

  it('accepts url + token_env or the sandbox, and cuts a trailing slash', () => {
    expect(parseDataosSettings(block({ url: 'https://acme.dataos.app/', token_env: 'T' }))).toEqual({
      settings: { url: 'https://acme.dataos.app', sandbox: false, tokenEnv: 'T', authHeader: 'apikey', limits: { maxConcurrency: 8, requestsPerSecond: 20 } },
      problems: [],
    });
    expect(parseDataosSettings(block({ endpoint: 'sandbox', auth_header: 'bearer' }))).toEqual({
      // The sandbox is no vendor API to protect: no default rate limit.
      settings: { sandbox: true, authHeader: 'bearer', limits: { maxConcurrency: 8 } },
      problems: [],
    });
  });

  it('names every problem without echoing user info', () => {
    const { problems } = parseDataosSettings(block({ url: 'https://user:pw@acme.dataos.app', endpoint: 'local', token_env: '1X' }));
    expect(problems).toEqual([
      ['endpoint', 'expected "sandbox", got "local"'],
      ['url', 'the URL must not contain user info'],
      ['token_env', 'expected an environment variable name, got "1X"'],
    ]);
    expect(JSON.stringify(problems)).not.toContain('pw');
  });
});
