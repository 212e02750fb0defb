/** Reading Node's `fetch failed` errors: the socket error inside, and its code. */
import { describe, expect, it } from 'vitest';
import { errorCode, fetchFailureCause } from './fetch-failure.js';

describe('fetch failures', () => {
  it('looks through the TypeError wrapper to the socket error and its code', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const failed = new TypeError('fetch failed', { cause: socket });
    expect(fetchFailureCause(failed)).toBe(socket);
    expect(errorCode(fetchFailureCause(failed))).toBe('ECONNREFUSED');
  });

  it('keeps an error without an Error cause, and finds no code where there is none', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(fetchFailureCause(timeout)).toBe(timeout);
    expect(fetchFailureCause('text')).toBe('text');
    expect(errorCode(new TypeError('fetch failed', { cause: 'x' }))).toBeUndefined();
    expect(errorCode({ code: 42 })).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
  });
});
