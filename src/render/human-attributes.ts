/**
 * The attribute lines of one change in the human plan, Terraform style: a marker per line
 * (`+` added, `-` removed, `~` changed, blank unchanged), values as literals,
 * `(known after apply)` for computed ones and `(sensitive value)` for sensitive names.
 */
import type { AttributeValue, Attributes } from '../model/desired.js';
import type { PlannedChange } from '../model/plan.js';
import { REDACTED } from '../model/secret.js';

/** The marker in front of an attribute line. */
export type AttributeMarker = '+' | '-' | '~' | ' ';

/** One attribute line before layout: the caller aligns names and paints markers. */
export interface AttributeLine {
  readonly marker: AttributeMarker;
  readonly name: string;
  readonly value: string;
  /** A trailing comment such as `# forces replacement`. */
  readonly comment?: string;
}

const KNOWN_AFTER_APPLY = '(known after apply)';

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
  const show = (attrs: Attributes, name: string): string => (sensitive.has(name) ? REDACTED : formatValue(attrs[name]));
  const lines: AttributeLine[] = [];
  for (const name of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const inBefore = Object.prototype.hasOwnProperty.call(before, name);
    const inAfter = Object.prototype.hasOwnProperty.call(after, name);
    switch (change.action) {
      case 'delete':
      case 'retire':
        if (inBefore) lines.push({ marker: '-', name, value: show(before, name) });
        break;
      case 'rotate':
        lines.push(rotateLine(change, name, { inBefore, inAfter, sensitive: sensitive.has(name), computed: computed.has(name) }, show(before, name), show(after, name)));
        break;
      default: {
        // create, import and update read the same way: what is new, what changes, what stays.
        if (sensitive.has(name) && !inBefore) lines.push({ marker: '+', name, value: REDACTED });
        else if (inAfter && inBefore) lines.push(changedOrSame(name, show(before, name), show(after, name)));
        else if (inAfter) lines.push({ marker: '+', name, value: show(after, name) });
        else if (inBefore) lines.push({ marker: '-', name, value: show(before, name) });
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

function rotateLine(change: PlannedChange, name: string, p: Presence, was: string, will: string): AttributeLine {
  // A rotation makes a new key: new secret material, and every attribute the provider
  // assigns (fingerprint, id) is new as well.
  if (p.sensitive) return { marker: '~', name, value: REDACTED };
  if (p.inAfter && p.inBefore) {
    const line = changedOrSame(name, was, will);
    return line.marker === '~' && change.reason === 'config_changed' ? { ...line, comment: '# forces replacement' } : line;
  }
  if (p.inAfter) return { marker: '+', name, value: will };
  if (p.inBefore) return { marker: '~', name, value: `${was} -> ${KNOWN_AFTER_APPLY}` };
  return { marker: '+', name, value: KNOWN_AFTER_APPLY };
}

function changedOrSame(name: string, was: string, will: string): AttributeLine {
  return was === will ? { marker: ' ', name, value: was } : { marker: '~', name, value: `${was} -> ${will}` };
}
