/** Mapping of the three shapes the OCI SDK throws to ProviderError. */
import * as common from 'oci-common';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../errors/errors.js';
import { isNotFound, isRetryable, scrub, toProviderError } from './errors.js';
import { pemBegin, pemBlock } from '../../../test/helpers/pem.js';

const ctx = { provider: 'oci', operation: 'UploadApiKey' as const, user: 'ocid1.user.oc1..u', key: 'ci' };

function ociError(status: number, code: string, message: string, requestId: string | null = 'RID/1/2'): common.OciError {
  return new common.OciError(status, code, message, requestId, 'Identity', 'uploadApiKey', 'now', 'POST http://h/20160918/x', '');
}

describe('toProviderError', () => {
  it('formats an HTTP error with status, service code, message and request id', () => {
    const e = toProviderError(ociError(400, 'LimitExceeded', 'Too many keys.'), ctx);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.message).toBe('oci: UploadApiKey for user ocid1.user.oc1..u: 400 LimitExceeded: Too many keys. (opc-request-id RID/1/2)');
    expect(e).toMatchObject({
      provider: 'oci',
      operation: 'UploadApiKey',
      key: 'ci',
      statusCode: 400,
      serviceCode: 'LimitExceeded',
      requestId: 'RID/1/2',
      retryable: false,
      source: 'provider',
    });
  });

  it.each([
    [429, 'TooManyRequests', true],
    [500, 'InternalServerError', true],
    [503, 'None', true],
    [409, 'IncorrectState', true],
    [409, 'Conflict', false],
    [401, 'NotAuthenticated', false],
    [404, 'NotAuthorizedOrNotFound', false],
  ])('%i %s is retryable: %s', (status, code, retryable) => {
    expect(isRetryable(ociError(status, code, 'm'))).toBe(retryable);
    expect(toProviderError(ociError(status, code, 'm'), ctx).retryable).toBe(retryable);
  });

  it('treats a response-less failure as retryable and names where it went', () => {
    const netErr = { message: 'fetch failed', requestEndpoint: 'GET http://127.0.0.1:1/20160918/users/u/apiKeys', troubleshootingPage: 'See …' };
    const e = toProviderError(netErr, { ...ctx, operation: 'ListApiKeys' });
    expect(e.message).toBe('oci: ListApiKeys for user ocid1.user.oc1..u: no response from http://127.0.0.1:1: fetch failed');
    expect(e.retryable).toBe(true);
    expect(e.statusCode).toBeUndefined();
  });

  it('recognises an open circuit breaker', () => {
    const breaker = new common.OciError('EOPENBREAKER' as unknown as number, 'unknown code', 'Breaker is open', 'unknown', 'Identity', 'op', 'now', 'x', '');
    const e = toProviderError(breaker, ctx);
    expect(e.message).toMatch(/circuit breaker is open/);
    expect(e.retryable).toBe(true);
  });

  it('omits the request id when there is none and passes ProviderErrors through', () => {
    expect(toProviderError(ociError(404, 'NotAuthorizedOrNotFound', 'Gone.', null), ctx).message).toBe(
      'oci: UploadApiKey for user ocid1.user.oc1..u: 404 NotAuthorizedOrNotFound: Gone.',
    );
    const pe = toProviderError(ociError(400, 'X', 'y'), ctx);
    expect(toProviderError(pe, ctx)).toBe(pe);
  });

  it('keeps PEM text an endpoint echoes out of the message and the JSON', () => {
    const echoed = `bad key ${pemBlock('PRIVATE KEY', 'MIIEvQIBADANBg')}\nOCI_API_KEY`;
    const e = toProviderError(ociError(400, 'InvalidParameter', echoed), ctx);
    expect(e.message).toBe('oci: UploadApiKey for user ocid1.user.oc1..u: 400 InvalidParameter: bad key (PEM redacted) OCI_API_KEY (opc-request-id RID/1/2)');
    expect(JSON.stringify(e)).not.toContain('MIIEvQ');
    expect(scrub(`${pemBegin('RSA PRIVATE KEY')}\nabc`)).toBe('(PEM redacted)');
  });
});

describe('isNotFound', () => {
  it('is true only for a 404 response', () => {
    expect(isNotFound(ociError(404, 'NotAuthorizedOrNotFound', 'x'))).toBe(true);
    expect(isNotFound(ociError(400, 'InvalidParameter', 'x'))).toBe(false);
    expect(isNotFound({ message: 'fetch failed' })).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });
});
