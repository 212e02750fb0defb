import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { Secret } from '../../../model/secret.js';
import {
  basicAuthHeaders,
  formatSigningDate,
  parseAuthorization,
  parseBasicAuthorization,
  parseSigningDate,
  signRequest,
  verifySignature,
  type ReceivedRequest,
  type SignableRequest,
  type SigningScheme,
} from './index.js';

// Test vector from providers/outscale-dataos.md §A5.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const creds = { accessKey: 'AKIDEXAMPLE', secretKey: new Secret(SECRET), region: 'eu-west-2' };
const vectorRequest: SignableRequest = {
  method: 'POST',
  url: new URL('https://api.eu-west-2.outscale.com/api/v1/ReadAccessKeys'),
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
};
const at = new Date('2024-01-01T00:00:00Z');

/** What a server would receive for a request signed with `signRequest`. */
function received(req: SignableRequest, added: Record<string, string>): ReceivedRequest {
  const headers: Record<string, string> = { host: req.url.host };
  for (const [k, v] of Object.entries({ ...req.headers, ...added })) headers[k.toLowerCase()] = v;
  return { method: req.method, rawUrl: req.url.pathname + req.url.search, headers, body: Buffer.from(req.body) };
}

const lookup = (ak: string): Secret | undefined => (ak === creds.accessKey ? creds.secretKey : undefined);

describe('signRequest against the published vectors', () => {
  it('produces the OSC4 vector signature', () => {
    const h = signRequest(vectorRequest, creds, at);
    expect(h).toEqual({
      Authorization:
        'OSC4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-2/api/osc4_request, SignedHeaders=content-type;host;x-osc-date, ' +
        'Signature=5657814993c04b788dfbf1d4c1da9751425a6e8915a271d741f032da17390604',
      'X-Osc-Date': '20240101T000000Z',
    });
  });

  it('produces the AWS4 vector signature', () => {
    const h = signRequest(vectorRequest, creds, at, 'AWS4');
    expect(h).toEqual({
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-2/api/aws4_request, SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=adb9e0c5af3f68119e309a3ed00dfb4f1a36649e85b3625f29ed4245ba474618',
      'X-Amz-Date': '20240101T000000Z',
    });
  });

  it('signs the host with its port, as fetch sends it to a loopback emulator', () => {
    const req = { ...vectorRequest, url: new URL('http://127.0.0.1:8443/api/v1/ReadAccessKeys') };
    const h = signRequest(req, creds, at);
    expect(verifySignature(received(req, h), { now: at, lookupSecret: lookup })).toMatchObject({ ok: true });
    const withoutPort = { ...received(req, h), headers: { ...received(req, h).headers, host: '127.0.0.1' } };
    expect(verifySignature(withoutPort, { now: at, lookupSecret: lookup })).toMatchObject({ ok: false, reason: 'signature does not match' });
  });

  it('refuses a caller-supplied Authorization header', () => {
    expect(() => signRequest({ ...vectorRequest, headers: { authorization: 'x' } }, creds, at)).toThrow(TypeError);
  });

  it('never shows the secret in the returned headers', () => {
    for (const scheme of ['OSC4', 'AWS4'] as const) {
      expect(JSON.stringify(signRequest(vectorRequest, creds, at, scheme))).not.toContain(SECRET);
    }
  });
});

describe('verifySignature', () => {
  const schemes: SigningScheme[] = ['OSC4', 'AWS4'];
  it.each(schemes)('accepts a %s request and reports the scope', (scheme) => {
    const r = verifySignature(received(vectorRequest, signRequest(vectorRequest, creds, at, scheme)), { now: at, lookupSecret: lookup });
    expect(r).toEqual({ ok: true, accessKey: 'AKIDEXAMPLE', scheme, region: 'eu-west-2', service: 'api' });
  });

  it.each(schemes)('%s: rejects a wrong secret, a tampered body, an unknown key and a stale date', (scheme) => {
    const wrong = signRequest(vectorRequest, { ...creds, secretKey: new Secret(SECRET.replace('w', 'x')) }, at, scheme);
    expect(verifySignature(received(vectorRequest, wrong), { now: at, lookupSecret: lookup })).toEqual({
      ok: false,
      reason: 'signature does not match',
      accessKey: 'AKIDEXAMPLE',
    });
    const good = received(vectorRequest, signRequest(vectorRequest, creds, at, scheme));
    expect(verifySignature({ ...good, body: Buffer.from('{"UserName":"x"}') }, { now: at, lookupSecret: lookup })).toMatchObject({
      ok: false,
      reason: 'signature does not match',
    });
    expect(verifySignature(good, { now: at, lookupSecret: () => undefined })).toMatchObject({ ok: false, reason: 'access key is unknown or cannot sign' });
    const later = new Date(at.getTime() + 300_001);
    expect(verifySignature(good, { now: later, lookupSecret: lookup })).toMatchObject({ ok: false, reason: expect.stringContaining('clock skew') });
    expect(verifySignature(good, { now: new Date(at.getTime() - 300_000), lookupSecret: lookup })).toMatchObject({ ok: true });
    expect(verifySignature(good, { now: later, lookupSecret: lookup, maxSkewMs: 400_000 })).toMatchObject({ ok: true });
  });

  it('rebuilds from the received SignedHeaders (osc-cli signs host;x-osc-date;x-osc-target)', () => {
    const req: SignableRequest = { ...vectorRequest, headers: { 'X-Osc-Target': 'OutscaleService.ReadAccessKeys' } };
    const h = signRequest(req, creds, at);
    expect(h.Authorization).toContain('SignedHeaders=host;x-osc-date;x-osc-target,');
    // An unsigned extra header (content-type here) does not matter; a changed signed one does.
    const r = received(req, { ...h, 'content-type': 'text/plain' });
    expect(verifySignature(r, { now: at, lookupSecret: lookup })).toMatchObject({ ok: true });
    const changed = { ...r, headers: { ...r.headers, 'x-osc-target': 'OutscaleService.DeleteAccessKey' } };
    expect(verifySignature(changed, { now: at, lookupSecret: lookup })).toMatchObject({ ok: false });
  });

  it('requires the date header and host to be signed and present', () => {
    const h = signRequest(vectorRequest, creds, at);
    const r = received(vectorRequest, h);
    const noDate = { ...r, headers: { ...r.headers, authorization: h.Authorization!.replace(';x-osc-date', '') } };
    expect(verifySignature(noDate, { now: at, lookupSecret: lookup })).toMatchObject({ ok: false, reason: 'x-osc-date is not signed' });
    const noHost = { ...r, headers: { ...r.headers, authorization: h.Authorization!.replace(';host', '') } };
    expect(verifySignature(noHost, { now: at, lookupSecret: lookup })).toMatchObject({ ok: false, reason: 'host is not signed' });
    const { 'content-type': _dropped, ...rest } = r.headers;
    expect(verifySignature({ ...r, headers: rest }, { now: at, lookupSecret: lookup })).toMatchObject({
      ok: false,
      reason: 'signed header content-type is missing from the request',
    });
  });

  it('rejects a scope whose terminator or date does not fit the scheme and timestamp', () => {
    const h = signRequest(vectorRequest, creds, at);
    const r = received(vectorRequest, h);
    const mixed = { ...r, headers: { ...r.headers, authorization: h.Authorization!.replace('osc4_request', 'aws4_request') } };
    expect(verifySignature(mixed, { now: at, lookupSecret: lookup })).toMatchObject({ ok: false, reason: expect.stringContaining('osc4_request') });
    const otherDay = { ...r, headers: { ...r.headers, authorization: h.Authorization!.replace('/20240101/', '/20240102/') } };
    expect(verifySignature(otherDay, { now: at, lookupSecret: lookup })).toMatchObject({ ok: false, reason: expect.stringContaining('scope date') });
  });

  it('rejects missing and malformed Authorization headers', () => {
    const base = received(vectorRequest, signRequest(vectorRequest, creds, at));
    const without = { ...base, headers: { ...base.headers, authorization: undefined } };
    expect(verifySignature(without, { now: at, lookupSecret: lookup })).toEqual({ ok: false, reason: 'no Authorization header' });
    for (const bad of ['Bearer abc', 'OSC4-HMAC-SHA256 Credential=AK/20240101/eu-west-2/api, SignedHeaders=host, Signature=00', 'HMAC-SHA256 x=y']) {
      expect(verifySignature({ ...base, headers: { ...base.headers, authorization: bad } }, { now: at, lookupSecret: lookup }).ok).toBe(false);
    }
  });
});

describe('parseAuthorization', () => {
  it('reads every field of an AWS4 header (region and service come from the scope)', () => {
    const h = 'AWS4-HMAC-SHA256 Credential=AK/20240101/eu-west-2/oapi/aws4_request,SignedHeaders=host;x-amz-date,Signature=' + 'a'.repeat(64);
    expect(parseAuthorization(h)).toEqual({
      scheme: 'AWS4',
      accessKey: 'AK',
      dateStamp: '20240101',
      region: 'eu-west-2',
      service: 'oapi',
      terminator: 'aws4_request',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'a'.repeat(64),
    });
  });
});

describe('Basic auth', () => {
  it('builds Basic with X-Osc-Date and parses standard and URL-safe base64', () => {
    const password = new Secret('p?>~:x');
    const h = basicAuthHeaders('ops@example.com', password, at);
    expect(h['X-Osc-Date']).toBe('20240101T000000Z');
    const parsed = parseBasicAuthorization(h.Authorization!);
    expect(parsed?.login).toBe('ops@example.com');
    expect(parsed?.password.reveal()).toBe('p?>~:x');
    expect(inspect(parsed)).not.toContain('p?>~');
    const urlSafe = 'Basic ' + Buffer.from('ops@example.com:p?>~:x').toString('base64url');
    expect(parseBasicAuthorization(urlSafe)?.password.reveal()).toBe('p?>~:x');
    expect(parseBasicAuthorization('Basic ' + Buffer.from('nocolon').toString('base64'))).toBeUndefined();
  });
});

describe('signing dates', () => {
  it('formats and parses YYYYMMDDTHHMMSSZ strictly', () => {
    expect(formatSigningDate(new Date('2024-03-05T06:07:08.999Z'))).toBe('20240305T060708Z');
    expect(parseSigningDate('20240305T060708Z')?.toISOString()).toBe('2024-03-05T06:07:08.000Z');
    for (const bad of ['20240231T000000Z', '2024-03-05T06:07:08Z', '20240305T060708']) expect(parseSigningDate(bad)).toBeUndefined();
  });
});
