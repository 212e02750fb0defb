/**
 * src/providers/outscale/signing: OUTSCALE request authentication written on node:crypto
 * (providers/outscale-dataos.md §A5). `signRequest` produces OSC4-HMAC-SHA256 (default)
 * or AWS4-HMAC-SHA256 headers and `basicAuthHeaders` the login/password form, for the
 * adapter; `verifySignature` and `parseBasicAuthorization` check them, for the emulator.
 * Both sides share one canonicalisation (canonical.ts), tested against the doc's vectors.
 */
export type { SigningScheme } from './canonical.js';
export { formatSigningDate, parseSigningDate, OAPI_SERVICE } from './canonical.js';
export type { SigningCredentials, SignableRequest } from './sign.js';
export { signRequest, basicAuthHeaders } from './sign.js';
export type { ReceivedRequest, ParsedAuthorization, VerifyOptions, VerifyResult } from './verify.js';
export { verifySignature, parseAuthorization, parseBasicAuthorization } from './verify.js';
