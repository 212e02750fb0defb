/**
 * Test helper: one OAPI call over `fetch`, signed with keyplan's own signer (OSC4 by
 * default, or AWS4) or sent with Basic auth, so emulator tests exercise the real wire
 * format. `tamper` lets a test send something other than what was signed.
 */
import { Secret } from '../../../model/secret.js';
import { basicAuthHeaders, signRequest, type SigningScheme } from '../../../providers/outscale/signing/index.js';
import type { OutscaleCredentials } from '../account.js';

/** How the call authenticates. */
export type CallAuth =
  | { readonly sign: OutscaleCredentials; readonly scheme?: SigningScheme }
  | { readonly basic: { readonly login: string; readonly password: string } }
  | { readonly none: true };

/** Extras for negative tests. */
export interface CallOptions {
  /** Timestamp used to sign. @default new Date() */
  readonly now?: Date;
  /** `v1` or `latest` (osc-cli). @default 'v1' */
  readonly version?: 'v1' | 'latest';
  /** Extra headers, signed along with Content-Type. */
  readonly headers?: Record<string, string>;
  /** Changes what is sent after signing (body or headers). */
  readonly tamper?: (sent: { body: string; headers: Record<string, string> }) => { body: string; headers: Record<string, string> };
  /** HTTP method. @default 'POST' */
  readonly method?: string;
}

/** An answer: HTTP status and parsed JSON body. */
export interface CallAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

/** Calls `action` on the emulator at `baseUrl`. */
export async function oscCall(baseUrl: string, action: string, params: unknown, auth: CallAuth, o: CallOptions = {}): Promise<CallAnswer> {
  const url = new URL(`${baseUrl}/api/${o.version ?? 'v1'}/${action}`);
  const body = JSON.stringify(params);
  const method = o.method ?? 'POST';
  const base = { 'Content-Type': 'application/json', ...o.headers };
  const now = o.now ?? new Date();
  let authHeaders: Record<string, string> = {};
  if ('sign' in auth) {
    const creds = { accessKey: auth.sign.accessKey, secretKey: new Secret(auth.sign.secretKey), region: auth.sign.region };
    authHeaders = signRequest({ method, url, headers: base, body }, creds, now, auth.scheme);
  } else if ('basic' in auth) {
    authHeaders = basicAuthHeaders(auth.basic.login, new Secret(auth.basic.password), now);
  }
  let sent: { body: string; headers: Record<string, string> } = { body, headers: { ...base, ...authHeaders } };
  if (o.tamper !== undefined) sent = o.tamper(sent);
  const res = await fetch(url, { method, headers: sent.headers, ...(method === 'GET' ? {} : { body: sent.body }) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, text };
}

/** The `Errors[0]` of an error answer, for assertions. */
export function firstError(answer: CallAnswer): { Type?: unknown; Code?: unknown; Details?: unknown } {
  const errors = answer.body['Errors'];
  return Array.isArray(errors) && typeof errors[0] === 'object' && errors[0] !== null ? (errors[0] as Record<string, unknown>) : {};
}
