/**
 * OUTSCALE error answers (providers/outscale-dataos.md §A4): every non-2xx body is
 * `{"Errors":[{"Type","Code","Details"}],"ResponseContext":{"RequestId"}}` with `Code`
 * a string. Authentication failures never tell the client which check failed; that
 * goes to the request log through `logDetail`.
 */
import type { OscErrorChoice } from './options.js';

/** An error answer; `logDetail` is for the request log only. */
export class OscApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly details: string;
  readonly logDetail: string | undefined;

  constructor(choice: OscErrorChoice, details: string, logDetail?: string) {
    super(details.length > 0 ? details : choice.type);
    this.name = 'OscApiError';
    this.status = choice.status;
    this.code = choice.code;
    this.type = choice.type;
    this.details = details;
    this.logDetail = logDetail;
  }
}

/** The JSON body of an error answer. */
export function errorBody(err: OscApiError, requestId: string): string {
  return JSON.stringify({ Errors: [{ Type: err.type, Code: err.code, Details: err.details }], ResponseContext: { RequestId: requestId } });
}

// Documented auth and throttle codes (errors-doc v1.39.1 unless noted).
const AUTH_FAILED: OscErrorChoice = { status: 401, code: '1', type: 'AccessDenied' };
const METHOD_NOT_ALLOWED: OscErrorChoice = { status: 405, code: '2', type: 'AccessDenied' }; // v1.28.5
const PLATFORM_THROTTLED: OscErrorChoice = { status: 503, code: '6', type: 'AccessDenied' };
const BASIC_NOT_ALLOWED: OscErrorChoice = { status: 401, code: '9', type: 'AuthFailure' }; // v1.28.5
const UNKNOWN_AUTH_TYPE: OscErrorChoice = { status: 401, code: '12', type: 'AccessDenied' }; // v1.28.5
const LOCKED: OscErrorChoice = { status: 401, code: '13', type: 'AccessDenied' };
const ACCOUNT_THROTTLED: OscErrorChoice = { status: 429, code: '24', type: 'AccessDenied' };
const CALL_THROTTLED: OscErrorChoice = { status: 429, code: '25', type: 'AccessDenied' };
// gateway_errors.yaml codes; issue #160 shows parameter errors come back as 400.
const INVALID_PARAMETER: OscErrorChoice = { status: 400, code: '4045', type: 'InvalidParameter' };
const INVALID_VALUE: OscErrorChoice = { status: 400, code: '4047', type: 'InvalidParameterValue' };
// Type observed in issue #342; the code is gateway_errors.yaml's invalid-parameter-type.
const INVALID_TYPE: OscErrorChoice = { status: 400, code: '4108', type: 'InvalidParameterType' };

/** 401 code 1: authentication failed. */
export const authFailed = (logDetail: string): OscApiError => new OscApiError(AUTH_FAILED, '', logDetail);
/** 401 code 12: an Authorization scheme the gateway does not know. */
export const unknownAuthType = (logDetail: string): OscApiError => new OscApiError(UNKNOWN_AUTH_TYPE, '', logDetail);
/** 401 code 9: login/password on a call that accepts only AK/SK. */
export const basicNotAllowed = (action: string): OscApiError =>
  new OscApiError(BASIC_NOT_ALLOWED, '', `${action} does not accept login/password authentication`);
/** 401 code 13: brute-force lockout. */
export const lockedOut = (untilMs: number): OscApiError => new OscApiError(LOCKED, '', `account locked until ${new Date(untilMs).toISOString()}`);
/** 405 code 2. */
export const methodNotAllowed = (method: string): OscApiError => new OscApiError(METHOD_NOT_ALLOWED, '', `method ${method} is not POST`);
/** 503 code 6: the platform limiter. */
export const platformThrottled = (logDetail: string): OscApiError => new OscApiError(PLATFORM_THROTTLED, '', logDetail);
/** 429 code 24: the per-account limiter. */
export const accountThrottled = (logDetail: string): OscApiError => new OscApiError(ACCOUNT_THROTTLED, '', logDetail);
/** 429 code 25: the per-account-and-call limiter. */
export const callThrottled = (logDetail: string): OscApiError => new OscApiError(CALL_THROTTLED, '', logDetail);
/** 400 code 4045: an unknown field or a body that is not a JSON object. */
export const invalidParameter = (details: string): OscApiError => new OscApiError(INVALID_PARAMETER, details);
/** 400 code 4047: a value of the right type that is not allowed. */
export const invalidValue = (details: string): OscApiError => new OscApiError(INVALID_VALUE, details);
/** 400 code 4108: a value of the wrong type, worded as the real API words it for ExpirationDate. */
export const invalidType = (field: string): OscApiError => new OscApiError(INVALID_TYPE, `The parameter type of ${field} is unknown.`);
