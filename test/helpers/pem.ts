/**
 * PEM armor built at run time. Tests need PEM-shaped text (redaction, output sinks), but
 * a committed file holding a literal private-key header trips every secret scanner that
 * reads this repository, so the header is assembled here instead.
 */
const DASHES = '-'.repeat(5);

/** `-----BEGIN <label>-----` */
export function pemBegin(label: string): string {
  return `${DASHES}BEGIN ${label}${DASHES}`;
}

/** `-----END <label>-----` */
export function pemEnd(label: string): string {
  return `${DASHES}END ${label}${DASHES}`;
}

/** A PEM block around `body` (which need not be real key material). */
export function pemBlock(label: string, body: string): string {
  return `${pemBegin(label)}\n${body}\n${pemEnd(label)}`;
}
