/**
 * Where OAPI requests go. Every action is `POST {base}/{Action}` where base defaults to
 * `https://api.{region}.outscale.com/api/v1` (providers/outscale-dataos.md §A1, §A6).
 * Config files write `endpoints.api` both with a scheme (most tools) and without one
 * (go-sdk v2, which prepends `protocol`), with or without the `/api/v1` path; all
 * of these are accepted.
 */

/** The path OAPI actions live under when an endpoint gives none. */
export const API_PATH = '/api/v1';

/** The public endpoint of a region. */
export function regionEndpoint(region: string): string {
  return `https://api.${region}.outscale.com${API_PATH}`;
}

/**
 * The base URL (no trailing slash) for `endpoint` as written, or the region's public
 * one when there is none. `protocol` is used for an endpoint written without a scheme.
 * @throws TypeError when the text is no URL (settings.ts reports that earlier).
 */
export function apiBaseUrl(endpoint: string | undefined, region: string, protocol = 'https'): string {
  if (endpoint === undefined) return regionEndpoint(region);
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `${protocol.replace(/:$/, '')}://${endpoint}`;
  const url = new URL(text);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path === '' ? API_PATH : path}`;
}

/** The URL of one action. */
export function actionUrl(base: string, action: string): URL {
  return new URL(`${base}/${action}`);
}
