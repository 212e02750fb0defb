/** Endpoint URL rules every provider applies. */
import { describe, expect, it } from 'vitest';
import { httpUrlProblem } from './url.js';

describe('httpUrlProblem', () => {
  const unparsable = 'not a URL';

  it('accepts http and https base URLs with a path', () => {
    expect(httpUrlProblem('https://api.example.test/v1', unparsable)).toBeUndefined();
    expect(httpUrlProblem('http://127.0.0.1:8080', unparsable)).toBeUndefined();
  });

  it('refuses other schemes, query, fragment and user info, never echoing the latter', () => {
    expect(httpUrlProblem('nope', unparsable)).toBe(unparsable);
    expect(httpUrlProblem('ftp://h', unparsable)).toBe('expected an http(s) URL, got protocol "ftp:"');
    expect(httpUrlProblem('https://h/?a=1', unparsable)).toBe('the URL must not contain a query or fragment');
    expect(httpUrlProblem('https://h/#x', unparsable)).toBe('the URL must not contain a query or fragment');
    const why = httpUrlProblem('https://me:hunter2@h', unparsable);
    expect(why).toBe('the URL must not contain user info');
    expect(why).not.toContain('hunter2');
  });
});
