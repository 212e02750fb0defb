/**
 * A fast reader for the plain subset of YAML that keys.yaml files are written in: block
 * mappings and sequences, one-line flow collections (`{ type: file, path: x }`), plain,
 * single- and double-quoted one-line scalars, and comments. It yields the same value and
 * the same node positions as the `yaml` library, in a fraction of its time and memory (the
 * library builds a CST and a Document of several objects per token: about half a second
 * at 2,000 keys). Anything outside the subset (anchors, tags, block scalars, multi-line
 * scalars, escapes, numbers other than plain integers, tabs, CRLF, odd indentation, a
 * syntax error) makes it give up and return undefined; the caller then parses with the
 * library, which also reports every error with its position.
 */

/**
 * Positions of a node: a scalar's is its start offset; a collection's also holds its
 * entries' or items' positions (arrays, not maps: most mappings have a handful of keys,
 * and a Map per mapping would cost more memory than the values themselves).
 */
export type FastNode = number | FastMap | FastSeq;

export interface FastMap {
  readonly start: number;
  readonly keys: readonly string[];
  readonly keyStarts: readonly number[];
  /** undefined for `key:` with no value. */
  readonly values: readonly (FastNode | undefined)[];
  /** Built on the first look-up in a mapping of many keys. */
  index?: Map<string, number>;
}

export interface FastSeq {
  readonly start: number;
  readonly items: readonly FastNode[];
}

/** The value of a document, and the positions of its nodes. */
export interface FastDoc {
  readonly value: unknown;
  readonly root: FastNode;
}

/** Where a node starts. */
export function startOfNode(node: FastNode): number {
  return typeof node === 'number' ? node : node.start;
}

/** The index of `key` among a mapping's entries, or -1. */
export function entryIndex(node: FastMap, key: string): number {
  if (node.keys.length <= 16) return node.keys.indexOf(key);
  node.index ??= new Map(node.keys.map((k, i) => [k, i]));
  return node.index.get(key) ?? -1;
}

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

/** Nesting deeper than this is left to the library (and to its depth check). */
const MAX_DEPTH = 40;
/** Characters the subset does not handle anywhere: tabs, CR, other controls, BOM, Unicode line breaks. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNHANDLED_CHARS = /[\x00-\x09\x0b-\x1f\x7f\x85\ufeff\u2028\u2029]/;
/** A block mapping key and its colon, at a line's first character (sticky; `$` is the line's end). */
const KEY = /[A-Za-z_][A-Za-z0-9_./-]*:(?: +|$)/my;
/** The same inside a flow mapping, where a space must follow the colon. */
const FLOW_KEY = /[A-Za-z_][A-Za-z0-9_./-]*: +/y;
const AFTER_VALUE = /(?: *| +#.*)$/my;
/**
 * The text of a plain scalar: a block value runs to a comment (` #`) or the line's end, a
 * flow value to `,`, `]` or `}` (sticky; regular expressions scan far faster than a loop
 * over characters when the reader's code is not optimised, as in a command's short life).
 */
const BLOCK_PLAIN = /[^\n]*?(?= #|$)/my;
const FLOW_PLAIN = /[^,\]}\n]*/y;
const DOCUMENT_MARKER = /(?:---|\.\.\.)(?: |$)/my;
/** Plain scalars the core schema reads as something other than a string or a small integer. */
const OTHER_SCALARS = [
  /^[-+]?[0-9]+$/,
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
];
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const SMALL_INT = /^(?:0|[1-9][0-9]{0,14})$/;
/** First characters a plain scalar may not have (or that the subset leaves to the library). */
const INDICATORS = new Set('-?:,[]{}#&*!|>\'"%@`');
const SPACE = 32;
const DASH = 45;

/** Reads `text` when it is in the subset; undefined otherwise. */
export function parseFastYaml(text: string): FastDoc | undefined {
  if (UNHANDLED_CHARS.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (error) {
    if (error instanceof GiveUp || error instanceof RangeError) return undefined;
    throw error;
  }
}

class Reader {
  readonly #text: string;
  // The lines with content (not blank, not comment-only): indentation, first character, end.
  readonly #indent: number[] = [];
  readonly #start: number[] = [];
  readonly #end: number[] = [];
  #i = 0;
  // What the last value read also gives: its node (undefined for `key:` with no value), and
  // for a flow value the offset after it. Fields rather than a { value, node } per value:
  // a keys.yaml of 10,000 keys has some 100,000 values.
  #node: FastNode | undefined;
  #after = 0;

  constructor(text: string) {
    this.#text = text;
    for (let lineStart = 0; lineStart <= text.length;) {
      let end = text.indexOf('\n', lineStart);
      if (end === -1) end = text.length;
      let start = lineStart;
      while (text.charCodeAt(start) === SPACE) start++;
      if (start < end && text[start] !== '#') {
        // Document markers and directives: more than one document, or a %YAML line.
        if (start === lineStart && (text[start] === '%' || matchesAt(DOCUMENT_MARKER, text, start))) giveUp();
        this.#indent.push(start - lineStart);
        this.#start.push(start);
        this.#end.push(end);
      }
      lineStart = end + 1;
    }
  }

  document(): FastDoc {
    if (this.#start.length === 0) giveUp();
    const value = this.#block(0);
    if (this.#i !== this.#start.length) giveUp();
    return { value, root: this.#node as FastNode };
  }

  #isSeqItem(start: number, end: number): boolean {
    return this.#text.charCodeAt(start) === DASH && (start + 1 === end || this.#text.charCodeAt(start + 1) === SPACE);
  }

  /** The block node whose first line is the current one. */
  #block(depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp();
    const i = this.#i;
    const indent = this.#indent[i] as number;
    return this.#isSeqItem(this.#start[i] as number, this.#end[i] as number) ? this.#seq(indent, depth) : this.#map(indent, depth);
  }

  #map(indent: number, depth: number): unknown {
    const text = this.#text;
    const value: Record<string, unknown> = {};
    const node = { start: this.#start[this.#i] as number, keys: [] as string[], keyStarts: [] as number[], values: [] as (FastNode | undefined)[] };
    while (this.#i < this.#start.length && this.#indent[this.#i] === indent) {
      const start = this.#start[this.#i] as number;
      const end = this.#end[this.#i] as number;
      KEY.lastIndex = start;
      if (!KEY.test(text)) return giveUp();
      const restStart = KEY.lastIndex;
      const key = mapKey(text.slice(start, text.lastIndexOf(':', restStart - 1)), value);
      this.#i++;
      let child: unknown;
      if (restStart === end || text[restStart] === '#') {
        const next = this.#i;
        const nextIndent = this.#indent[next] ?? -1;
        if (nextIndent > indent) child = this.#block(depth + 1);
        // A sequence may sit at its key's indentation ("keys:" then "- name: a").
        else if (nextIndent === indent && this.#isSeqItem(this.#start[next] as number, this.#end[next] as number)) child = this.#seq(indent, depth + 1);
        else {
          child = null;
          this.#node = undefined;
        }
      } else {
        child = this.#inline(restStart, end, depth + 1);
        // A more indented line after an inline value continues a multi-line scalar (or is an error).
        if ((this.#indent[this.#i] ?? -1) > indent) giveUp();
      }
      value[key] = child;
      node.keys.push(key);
      node.keyStarts.push(start);
      node.values.push(this.#node);
    }
    this.#node = node;
    return value;
  }

  #seq(indent: number, depth: number): unknown {
    const text = this.#text;
    const value: unknown[] = [];
    const node = { start: this.#start[this.#i] as number, items: [] as FastNode[] };
    while (this.#i < this.#start.length && this.#indent[this.#i] === indent) {
      const i = this.#i;
      const start = this.#start[i] as number;
      const end = this.#end[i] as number;
      if (!this.#isSeqItem(start, end)) break;
      let rest = start + 1;
      while (text.charCodeAt(rest) === SPACE) rest++;
      if (rest === end || text[rest] === '#') {
        this.#i++;
        // An empty item ("-" alone) is left to the library.
        if ((this.#indent[this.#i] ?? -1) <= indent) return giveUp();
        value.push(this.#block(depth + 1));
      } else if (this.#isSeqItem(rest, end) || matchesAt(KEY, text, rest)) {
        // A compact mapping or sequence ("- name: a"): its first line starts after the dash.
        this.#indent[i] = indent + (rest - start);
        this.#start[i] = rest;
        value.push(this.#block(depth + 1));
      } else {
        this.#i++;
        value.push(this.#inline(rest, end, depth + 1));
        if ((this.#indent[this.#i] ?? -1) > indent) giveUp();
      }
      node.items.push(this.#node as FastNode);
    }
    this.#node = node;
    return value;
  }

  /** A value on the rest of a block line (`text[at..end)`): a scalar or a flow collection, then only a comment. */
  #inline(at: number, end: number, depth: number): unknown {
    const text = this.#text;
    const first = text[at] as string;
    if (first === '"' || first === "'" || first === '{' || first === '[') {
      const value = this.#flowValue(at, end, depth);
      AFTER_VALUE.lastIndex = this.#after;
      if (!AFTER_VALUE.test(text) || AFTER_VALUE.lastIndex !== end) giveUp();
      return value;
    }
    if (INDICATORS.has(first)) giveUp();
    BLOCK_PLAIN.lastIndex = at;
    BLOCK_PLAIN.test(text);
    const raw = text.slice(at, Math.min(BLOCK_PLAIN.lastIndex, end)).trimEnd();
    // ": " or a final ":" would start a nested mapping, which a block value cannot.
    if (raw.includes(': ') || raw.endsWith(':')) giveUp();
    this.#node = at;
    return plainScalar(raw);
  }

  /** A flow-context value at `text[j]` (the line ends at `end`): quoted scalar, flow collection or plain scalar. */
  #flowValue(j: number, end: number, depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp();
    const text = this.#text;
    const c = text[j];
    this.#node = j;
    if (c === '"') {
      const close = text.indexOf('"', j + 1);
      if (close === -1 || close > end) giveUp();
      const body = text.slice(j + 1, close);
      if (body.includes('\\')) giveUp();
      this.#after = close + 1;
      return body;
    }
    if (c === "'") {
      let close = j + 1;
      for (;;) {
        close = text.indexOf("'", close);
        if (close === -1 || close > end) return giveUp();
        if (text[close + 1] !== "'") break;
        close += 2;
      }
      this.#after = close + 1;
      return text.slice(j + 1, close).replaceAll("''", "'");
    }
    if (c === '{') return this.#flowMap(j, end, depth);
    if (c === '[') return this.#flowSeq(j, end, depth);
    // A plain scalar ends at , ] or }; one that could mean more than a word is left to the library.
    FLOW_PLAIN.lastIndex = j;
    FLOW_PLAIN.test(text);
    const stop = Math.min(FLOW_PLAIN.lastIndex, end);
    const raw = text.slice(j, stop).trimEnd();
    if (raw === '' || INDICATORS.has(raw[0] as string) || /[[{]| #|:(?: |$)/.test(raw)) giveUp();
    this.#after = stop;
    return plainScalar(raw);
  }

  #flowMap(j: number, end: number, depth: number): unknown {
    const text = this.#text;
    const value: Record<string, unknown> = {};
    const node = { start: j, keys: [] as string[], keyStarts: [] as number[], values: [] as (FastNode | undefined)[] };
    j = skipSpaces(text, j + 1);
    if (text[j] !== '}') {
      for (;;) {
        if (j >= end) giveUp();
        FLOW_KEY.lastIndex = j;
        if (!FLOW_KEY.test(text) || FLOW_KEY.lastIndex > end) return giveUp();
        const key = mapKey(text.slice(j, text.indexOf(':', j)), value);
        value[key] = this.#flowValue(FLOW_KEY.lastIndex, end, depth + 1);
        node.keys.push(key);
        node.keyStarts.push(j);
        node.values.push(this.#node);
        j = this.#flowSeparator(end, '}');
        if (j === -1) break;
      }
    } else this.#after = j + 1;
    this.#node = node;
    return value;
  }

  #flowSeq(j: number, end: number, depth: number): unknown {
    const text = this.#text;
    const value: unknown[] = [];
    const node = { start: j, items: [] as FastNode[] };
    j = skipSpaces(text, j + 1);
    if (text[j] !== ']') {
      for (;;) {
        if (j >= end) giveUp();
        value.push(this.#flowValue(j, end, depth + 1));
        node.items.push(this.#node as FastNode);
        j = this.#flowSeparator(end, ']');
        if (j === -1) break;
      }
    } else this.#after = j + 1;
    this.#node = node;
    return value;
  }

  /** After a flow entry: -1 at the collection's end (`#after` is then past it), else where the next entry starts. */
  #flowSeparator(end: number, close: string): number {
    const text = this.#text;
    let j = skipSpaces(text, this.#after);
    if (j >= end) giveUp();
    if (text[j] === close) {
      this.#after = j + 1;
      return -1;
    }
    if (text[j] !== ',') return giveUp();
    j = skipSpaces(text, j + 1);
    // A trailing comma, or an empty entry.
    if (text[j] === close || text[j] === ',') return giveUp();
    return j;
  }
}

function matchesAt(re: RegExp, text: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(text);
}

/** A mapping key of the subset: a plain word the core schema reads as a string, not repeated. */
function mapKey(key: string, value: Record<string, unknown>): string {
  if (Object.hasOwn(value, key) || key === '__proto__') giveUp();
  // Keys are words: only one whose first letter starts null, true or false can be one of those.
  if (MAYBE_KEYWORD.has(key.charCodeAt(0)) && (NULL.test(key) || BOOL.test(key))) giveUp();
  return key;
}

function skipSpaces(text: string, j: number): number {
  while (text.charCodeAt(j) === SPACE) j++;
  return j;
}

/** A plain scalar as the core schema reads it, when it is a string, null, a boolean or a small integer. */
function plainScalar(raw: string): unknown {
  const first = raw.charCodeAt(0);
  // Most values start with a letter other than those of null, true and false: a string.
  if (isLetter(first) && !MAYBE_KEYWORD.has(first)) return raw;
  if (NULL.test(raw)) return null;
  if (BOOL.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (SMALL_INT.test(raw)) return Number(raw);
  // Numbers, .inf and .nan start with a digit, a sign or a dot.
  if (!isLetter(first) && OTHER_SCALARS.some((re) => re.test(raw))) giveUp();
  return raw;
}

/** First letters of the core schema's null and boolean words. */
const MAYBE_KEYWORD = new Set(['n', 'N', 't', 'T', 'f', 'F'].map((c) => c.charCodeAt(0)));

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
