/** The sandbox's bootstrap credentials: present ones are read, a missing sandbox or key is a keyplan bug. */
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../errors/errors.js';
import type { ConfigureRequest } from '../contract.js';
import { startedSandbox } from './sandbox.js';

function request(sandbox?: ConfigureRequest['sandbox']): ConfigureRequest {
  return { block: { name: 'p', type: 'x', settings: { endpoint: 'sandbox' } }, baseDir: '/', env: {}, ...(sandbox ? { sandbox } : {}) };
}

describe('startedSandbox', () => {
  it('hands over the URL and the credentials it has', () => {
    const { url, need } = startedSandbox(request({ url: 'http://127.0.0.1:1', credentials: { region: 'r1' } }), 'the X sandbox credentials');
    expect(url).toBe('http://127.0.0.1:1');
    expect(need('region')).toBe('r1');
  });

  it('throws InternalError for a missing sandbox or credential, naming which', () => {
    expect(() => startedSandbox(request(), 'c')).toThrow(
      new InternalError('Expected the engine to start a sandbox for provider "p" (endpoint: sandbox), got none'),
    );
    const { need } = startedSandbox(request({ url: 'u', credentials: { empty: '' } }), 'the X sandbox credentials');
    expect(() => need('empty')).toThrow('Expected the X sandbox credentials to have `empty`, got none');
    expect(() => need('token')).toThrow(InternalError);
  });
});
