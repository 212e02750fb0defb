import { describe, expect, it } from 'vitest';
import { OciHttpError } from '../errors.js';
import { paginate } from './paging.js';

const items = Array.from({ length: 7 }, (_, i) => i);
const q = (s: string): URLSearchParams => new URLSearchParams(s);

/** All items reached by following tokens, and the tokens seen. */
function walk(query: string, scope = 'keys:c1'): { seen: number[]; tokens: string[] } {
  const seen: number[] = [];
  const tokens: string[] = [];
  let page: string | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const res = paginate(items, q(`${query}${page === undefined ? '' : `&page=${page}`}`), scope, 3);
    seen.push(...res.items);
    if (res.nextPage === undefined) return { seen, tokens };
    tokens.push(res.nextPage);
    page = res.nextPage;
  }
  throw new Error('Expected pagination to end');
}

describe('paginate', () => {
  it('covers every item once, with URL-safe tokens and none after the last page', () => {
    for (const limit of [1, 2, 3, 7, 50]) {
      const { seen, tokens } = walk(`limit=${limit}`);
      expect(seen).toEqual(items);
      expect(tokens).toHaveLength(Math.ceil(items.length / limit) - 1);
      for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    expect(walk('').seen).toEqual(items); // default page size 3
  });

  it('refuses tokens from another listing, forged tokens and bad limits with 400 InvalidParameter', () => {
    const token = paginate(items, q('limit=2'), 'keys:c1', 3).nextPage ?? '';
    const bad = (query: string, scope = 'keys:c1'): unknown => {
      try {
        paginate(items, q(query), scope, 3);
      } catch (err) {
        return err instanceof OciHttpError ? [err.status, err.code] : err;
      }
      return 'accepted';
    };
    expect(bad(`limit=2&page=${token}`)).toBe('accepted');
    expect(bad(`limit=2&page=${token}`, 'keys:c2')).toEqual([400, 'InvalidParameter']);
    expect(bad(`limit=2&userId=u&page=${token}`)).toEqual([400, 'InvalidParameter']);
    expect(bad(`limit=2&page=${Buffer.from('1.x').toString('base64url')}`)).toEqual([400, 'InvalidParameter']);
    expect(bad('page=a+b')).toEqual([400, 'InvalidParameter']);
    for (const limit of ['0', '-1', '1.5', 'x', '1001']) expect(bad(`limit=${limit}`)).toEqual([400, 'InvalidParameter']);
  });
});
