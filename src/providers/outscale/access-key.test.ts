/** Wire formats of access keys: dates, lifetimes, marker Tags, validation of answers. */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../errors/errors.js';
import { lifetimeText, markerOf, markerTag, parseOapiDate, readAccessKeyList, toLiveKey } from './access-key.js';

describe('OAPI dates', () => {
  it.each([
    ['2063-04-05T00:00:00.000+0000', Date.UTC(2063, 3, 5)],
    ['2028-02-20T10:04:05.000+0000', Date.UTC(2028, 1, 20, 10, 4, 5)],
    ['2024-01-01T02:00:00.000+0200', Date.UTC(2024, 0, 1)],
    ['2020-06-14T00:00:41.000Z', Date.UTC(2020, 5, 14, 0, 0, 41)],
    ['2063-04-05', Date.UTC(2063, 3, 5)],
  ])('%s', (text, ms) => expect(parseOapiDate(text)).toBe(ms));

  it('rejects what is not a date', () => {
    expect(parseOapiDate('tomorrow')).toBeUndefined();
    expect(parseOapiDate('2063-13-45T00:00:00.000+0000')).toBeUndefined();
    expect(parseOapiDate('')).toBeUndefined();
    expect(parseOapiDate(undefined)).toBeUndefined();
  });

  it('reports a lifetime to the minute, in the canonical duration form', () => {
    const created = Date.UTC(2025, 0, 1);
    expect(lifetimeText(created, created + 90 * 86_400_000 + 29_000)).toBe('90d');
    expect(lifetimeText(created, created + 90 * 86_400_000 - 31_000)).toBe('89d23h59m');
    expect(lifetimeText(created, created + 36 * 3_600_000)).toBe('1d12h');
  });
});

describe('marker Tag', () => {
  it('names the key and an attempt nonce; foreign tags are not markers', () => {
    const tag = markerTag('etl-bot_2', 'intent-1');
    expect(tag).toMatch(/^keyplan:etl-bot_2:[0-9a-f]{12}$/);
    expect(markerTag('etl-bot_2', 'intent-2')).not.toBe(tag);
    expect(markerOf(tag)).toBe('etl-bot_2');
    expect(markerOf('keyplan:legacy')).toBe('legacy');
    for (const foreign of ['ci key', 'keyplan:', 'keyplan:Upper', 'xkeyplan:a', undefined]) expect(markerOf(foreign)).toBeUndefined();
  });
});

describe('answers', () => {
  it('turns a listed key into a LiveKey without anything secret', () => {
    const [k] = readAccessKeyList(
      {
        AccessKeys: [
          {
            AccessKeyId: 'AK1',
            State: 'INACTIVE',
            CreationDate: '2025-01-01T00:00:00.000+0000',
            ExpirationDate: '2025-01-31T00:00:00.000+0000',
            Tag: 'keyplan:etl:abc',
            SecretKey: 'should not be read',
          },
        ],
      },
      'osc',
    );
    expect(toLiveKey(k!, { provider: 'osc', userName: 'bot' })).toEqual({
      provider: 'osc',
      kind: 'outscale.access_key',
      owner: 'bot',
      id: 'AK1',
      status: 'inactive',
      createdAt: '2025-01-01T00:00:00.000Z',
      expiresAt: '2025-01-31T00:00:00.000Z',
      attributes: { access_key_id: 'AK1', state: 'INACTIVE', expires_in: '30d', tag: 'keyplan:etl:abc' },
      marker: 'etl',
    });
  });

  it('refuses malformed answers as provider errors', () => {
    expect(() => readAccessKeyList({ AccessKeys: {} }, 'osc')).toThrow(ProviderError);
    expect(() => readAccessKeyList({ AccessKeys: [{ AccessKeyId: 'AK1', State: 'GONE' }] }, 'osc')).toThrow(/State "GONE"/);
    expect(readAccessKeyList({ ResponseContext: {} }, 'osc')).toEqual([]);
  });
});
