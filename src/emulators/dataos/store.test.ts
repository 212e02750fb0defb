/** The DataOS store's token look-up: the remembered holder of a token is checked, never trusted. */
import { describe, expect, it } from 'vitest';
import { TokenStore, type StoredToken } from './store.js';

const token = (name: string, uuid: string): StoredToken => ({ name, uuid, type: 'apikey', createdAt: 0, expiresAt: 1e15 });

function store(): TokenStore {
  return new TokenStore(undefined, () => ({ formatVersion: 1, bootstrap: { userId: 'boot', tokenName: 'root' }, users: {} }));
}

describe('findByToken', () => {
  it('finds a token again after it moved to another user, and not at all once removed', () => {
    const s = store();
    s.ensureUser('alice').tokens.push(token('ci', 'u-1'));
    s.ensureUser('bob');
    expect(s.findByToken('ci', 'u-1')?.user.id).toBe('alice');
    expect(s.findByToken('ci', 'u-1')?.user.id).toBe('alice');

    expect(s.removeToken('alice', 'ci')).toBe(true);
    (s.user('bob')?.tokens ?? []).push(token('ci', 'u-1'));
    expect(s.findByToken('ci', 'u-1')?.user.id).toBe('bob');

    expect(s.removeToken('bob', 'ci')).toBe(true);
    expect(s.findByToken('ci', 'u-1')).toBeUndefined();
  });

  it('tells tokens of one name apart by their secret', () => {
    const s = store();
    s.ensureUser('alice').tokens.push(token('ci', 'u-1'));
    s.ensureUser('bob').tokens.push(token('ci', 'u-2'));
    expect(s.findByToken('ci', 'u-2')?.user.id).toBe('bob');
    expect(s.findByToken('ci', 'u-1')?.user.id).toBe('alice');
    expect(s.findByToken('ci', 'u-3')).toBeUndefined();
  });
});
