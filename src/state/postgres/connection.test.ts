import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { clientConfig, databaseError, scrubPassword, targetFromEnv } from './connection.js';

const PASSWORD = 'p@ss w0rd/secret';
const URL_WITH_PASSWORD = `postgres://keyplan:${encodeURIComponent(PASSWORD)}@db.internal:5432/keyplan?sslmode=verify-full`;

describe('the postgres URL', () => {
  it('comes only from the named variable; missing, empty or not a URL is an error naming the variable only', () => {
    expect(() => targetFromEnv('KEYPLAN_PG_URL', {})).toThrow('environment variable KEYPLAN_PG_URL, which is not set or empty');
    expect(() => targetFromEnv('KEYPLAN_PG_URL', { KEYPLAN_PG_URL: '  ' })).toThrow('not set or empty');
    const keyword = `host=db password=${PASSWORD}`;
    let message = '';
    try {
      targetFromEnv('KEYPLAN_PG_URL', { KEYPLAN_PG_URL: keyword });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('KEYPLAN_PG_URL must hold a URL of the form postgres://');
    expect(message).not.toContain('w0rd');
  });

  it('keeps the URL in a Secret that never prints', () => {
    const target = targetFromEnv('PG', { PG: URL_WITH_PASSWORD });
    expect(JSON.stringify(target)).not.toContain('w0rd');
    expect(String(target.url)).toBe('(sensitive value)');
  });

  it('passes a CA file as sslrootcert, next to the URL sslmode, and names an unreadable one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyplan-ca-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const ca = path.join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const config = clientConfig(targetFromEnv('PG', { PG: URL_WITH_PASSWORD }, ca));
    const url = new URL(config.connectionString ?? '');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(url.searchParams.get('sslrootcert')).toBe(ca);
    expect(() => clientConfig(targetFromEnv('PG', { PG: URL_WITH_PASSWORD }, path.join(dir, 'missing.pem')))).toThrow(
      `cannot read the state database's ca_file ${path.join(dir, 'missing.pem')}`,
    );
  });
});

describe('scrubbing the password', () => {
  const target = targetFromEnv('PG', { PG: URL_WITH_PASSWORD });

  it('removes it from URLs, keyword DSNs and plain text, encoded or not', () => {
    const text = `failed: ${URL_WITH_PASSWORD}; dsn host=db password='${PASSWORD}' user=k; also password=plain123 and ${PASSWORD} and ${encodeURIComponent(PASSWORD)}`;
    const clean = scrubPassword(text, target);
    expect(clean).not.toContain('w0rd');
    expect(clean).not.toContain('plain123');
    expect(clean).toContain('postgres://keyplan:(sensitive value)@db.internal:5432');
    expect(clean).toContain('password=(sensitive value) user=k');
  });

  it('wraps a driver error without keeping it as cause', () => {
    const raw = Object.assign(new Error(`bad things with ${PASSWORD}`), { code: '28P01' });
    const error = databaseError('cannot read the state', raw, target);
    expect(error.message).toBe('cannot read the state: bad things with (sensitive value) (SQLSTATE 28P01)');
    expect(error.cause).toBeUndefined();
  });
});
