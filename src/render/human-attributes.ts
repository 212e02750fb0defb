/**
 * The attribute lines of one change in the human plan, Terraform style: a marker per line
 * (`+` added, `-` removed, `~` changed, blank unchanged), values as literals,
 * `(known after apply)` for computed ones and `(sensitive value)` for sensitive names.
 * A multi-line string value is shown as a heredoc whose body is a line diff.
 */
import type { AttributeValue, Attributes } from '../model/desired.js';
import type { PlannedChange } from '../model/plan.js';
import { REDACTED } from '../model/secret.js';
import { isMultiline, lineDiff, unchangedText, wholeText, type TextLine } from './attribute-diff.js';

/** The marker in front of an attribute line. */
export type AttributeMarker = '+' | '-' | '~' | ' ';

/** One attribute line before layout: the caller aligns names and paints markers. */
export interface AttributeLine {
  readonly marker: AttributeMarker;
  readonly name: string;
  readonly value: string;
  /** A trailing comment such as `# forces replacement`. */
  readonly comment?: string;
  /** For a multi-line value (`value` ends in `<<-EOT`): the body lines, then `EOT` and `suffix`. */
  readonly heredoc?: Heredoc;
}

/** The body of a multi-line value. */
export interface Heredoc {
  readonly lines: readonly TextLine[];
  /** Printed after the closing `EOT`, e.g. ` -> (known after apply)`. */
  readonly suffix: string;
}

/** How a value is shown: a one-line literal, or a multi-line text shown as a heredoc. */
type Shown = { readonly literal: string } | { readonly text: string };

const KNOWN_AFTER_APPLY = '(known after apply)';
const HEREDOC = '<<-EOT';

/** A value as a literal: strings quoted and escaped, the rest as written. */
export function formatValue(value: AttributeValue | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return 'null';
  return String(value);
}

/** The attribute lines of a change, sorted by attribute name. */
export function attributeLines(change: PlannedChange): AttributeLine[] {
  const before: Attributes = change.before ?? {};
  const after: Attributes = change.after ?? {};
  const sensitive = new Set(change.sensitive);
  const computed = new Set(change.computed);
  const names = new Set([...Object.keys(before), ...Object.keys(after), ...computed, ...sensitive]);
  // Sensitive names are masked before anything else looks at the value: never diffed.
  const show = (attrs: Attributes, name: string): Shown => {
    const value = attrs[name];
    if (sensitive.has(name)) return { literal: REDACTED };
    return isMultiline(value) ? { text: value } : { literal: formatValue(value) };
  };
  const lines: AttributeLine[] = [];
  for (const name of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const inBefore = Object.prototype.hasOwnProperty.call(before, name);
    const inAfter = Object.prototype.hasOwnProperty.call(after, name);
    switch (change.action) {
      case 'delete':
      case 'retire':
        // A deactivated key stays (inactive): its attributes do not go away.
        if (inBefore && change.action === 'retire' && change.deletes.length === 0) lines.push(changedOrSame(name, show(before, name), show(before, name)));
        else if (inBefore) lines.push(whole('-', name, show(before, name)));
        break;
      case 'rotate':
        lines.push(
          rotateLine(change, name, { inBefore, inAfter, sensitive: sensitive.has(name), computed: computed.has(name) }, show(before, name), show(after, name)),
        );
        break;
      default: {
        // create, import and update read the same way: what is new, what changes, what stays.
        if (sensitive.has(name) && !inBefore) lines.push({ marker: '+', name, value: REDACTED });
        else if (inAfter && inBefore) lines.push(changedOrSame(name, show(before, name), show(after, name)));
        else if (inAfter) lines.push(whole('+', name, show(after, name)));
        else if (inBefore) lines.push(whole('-', name, show(before, name)));
        else lines.push({ marker: '+', name, value: KNOWN_AFTER_APPLY });
      }
    }
  }
  return lines;
}

interface Presence {
  readonly inBefore: boolean;
  readonly inAfter: boolean;
  readonly sensitive: boolean;
  readonly computed: boolean;
}

function rotateLine(change: PlannedChange, name: string, p: Presence, was: Shown, will: Shown): AttributeLine {
  // A rotation makes a new key: new secret material, and every attribute the provider
  // assigns (fingerprint, id) is new as well.
  if (p.sensitive) return { marker: '~', name, value: REDACTED };
  if (p.inAfter && p.inBefore) {
    const line = changedOrSame(name, was, will);
    return line.marker === '~' && change.reason === 'config_changed' ? { ...line, comment: '# forces replacement' } : line;
  }
  if (p.inAfter) return whole('+', name, will);
  if (p.inBefore) return changedOrSame(name, was, { literal: KNOWN_AFTER_APPLY });
  return { marker: '+', name, value: KNOWN_AFTER_APPLY };
}

/** A value that appears or disappears as a whole. */
function whole(marker: '+' | '-', name: string, shown: Shown): AttributeLine {
  if ('literal' in shown) return { marker, name, value: shown.literal };
  return { marker, name, value: HEREDOC, heredoc: { lines: wholeText(marker, shown.text), suffix: '' } };
}

/** An unchanged value, or `old -> new`; when either side has several lines, a heredoc with the line diff. */
function changedOrSame(name: string, was: Shown, will: Shown): AttributeLine {
  if ('literal' in was) {
    if ('literal' in will) {
      return was.literal === will.literal ? { marker: ' ', name, value: was.literal } : { marker: '~', name, value: `${was.literal} -> ${will.literal}` };
    }
    return { marker: '~', name, value: `${was.literal} -> ${HEREDOC}`, heredoc: { lines: wholeText('+', will.text), suffix: '' } };
  }
  // A multi-line value becoming a one-line literal (a short string, null, or known after apply).
  if ('literal' in will) return { marker: '~', name, value: HEREDOC, heredoc: { lines: wholeText('-', was.text), suffix: ` -> ${will.literal}` } };
  if (was.text === will.text) return { marker: ' ', name, value: HEREDOC, heredoc: { lines: unchangedText(was.text), suffix: '' } };
  return { marker: '~', name, value: HEREDOC, heredoc: { lines: lineDiff(was.text, will.text), suffix: '' } };
}
