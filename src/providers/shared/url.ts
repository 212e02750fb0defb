/**
 * Checks of the URLs a provider block may name as its API endpoint. What each provider
 * accepts differs (a bare host, http only on loopback…) and stays in its settings.ts;
 * the rules here hold for all of them.
 */

/** `text` as a URL, or undefined when it does not parse. */
export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Why `u` must not be used as an API base (user info, query or fragment), or undefined. */
export function urlPartsProblem(u: URL): string | undefined {
  // Never echo user-info: it could be a credential.
  if (u.username !== '' || u.password !== '') return 'the URL must not contain user info';
  if (u.search !== '' || u.hash !== '') return 'the URL must not contain a query or fragment';
  return undefined;
}

/**
 * Why `text` cannot be an http(s) API endpoint, or undefined when it can.
 * @param unparsable the reason given when `text` is no URL at all (it names what else the setting accepts)
 */
export function httpUrlProblem(text: string, unparsable: string): string | undefined {
  const u = parseUrl(text);
  if (u === undefined) return unparsable;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `expected an http(s) URL, got protocol "${u.protocol}"`;
  return urlPartsProblem(u);
}
