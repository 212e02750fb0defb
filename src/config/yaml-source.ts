/**
 * Parses keys.yaml with `yaml`, keeping every node's source range, so any path into the
 * config value can be mapped back to `file:line:col`. YAML syntax errors become
 * diagnostics with positions too, and so do two things the parser lets pass: tags it
 * cannot resolve (it drops them, with only a warning) and nesting so deep that reading
 * it would overflow the stack.
 */
import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { SourceRange } from '../model/source.js';
import { CONFIG_CODES } from './codes.js';
import type { Path } from './paths.js';
import { entryIndex, parseFastYaml, startOfNode, type FastNode } from './yaml-fast.js';

// The `yaml` library is loaded only for files the fast reader (yaml-fast.ts) leaves to it.
const require = createRequire(import.meta.url);
let library: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (library ??= require('yaml') as typeof import('yaml'));

/**
 * Lists and mappings nested inside each other deeper than this are refused. keys.yaml
 * needs about six levels; the parser, toJS and ajv recurse per level, and overflow the
 * stack somewhere in the hundreds (where depends on the stack left at the call).
 */
export const MAX_YAML_DEPTH = 100;

const TOO_DEEP = `YAML nesting deeper than ${MAX_YAML_DEPTH} levels (lists and mappings inside each other); keys.yaml needs only a few`;

/** Where in a mapping entry a location points: at its value, or at its key (unknown fields). */
export type Anchor = 'value' | 'key';

/** A parsed config file: its plain value, syntax diagnostics, and a path → position map. */
export interface SourceDoc {
  /** The file name as the caller gave it; used in every range. */
  readonly file: string;
  /** The document as plain JS data (undefined when it has syntax errors). */
  readonly value: unknown;
  /** YAML syntax errors; when any exist, `value` is undefined. */
  readonly syntaxErrors: readonly Diagnostic[];
  /**
   * Position of the node at `path`. Where the path leaves the document (a missing field),
   * the deepest existing ancestor is used, so every diagnostic has a position.
   */
  locate(path: Path, anchor?: Anchor): SourceRange;
}

/** Parses YAML text; never throws. */
export function parseYamlSource(text: string, file: string): SourceDoc {
  const fast = parseFastYaml(text);
  if (fast !== undefined) {
    const at = lineAt(text, file);
    return { file, value: fast.value, syntaxErrors: [], locate: (path, anchor = 'value') => at(fastOffsetOf(fast.root, path, anchor)) };
  }
  return parseWithLibrary(text, file);
}

/** Offset → position (1-based line and column, as the library's LineCounter gives them). */
function lineAt(text: string, file: string): (offset: number) => SourceRange {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  };
}

/** `offsetOf` over the fast reader's positions: the same walk, the same fallbacks. */
function fastOffsetOf(root: FastNode, path: Path, anchor: Anchor): number {
  let node: FastNode | undefined = root;
  let offset = startOfNode(root);
  // Indexed: a `for…of` over entries allocates an iterator and a pair per segment, and keys.yaml's checks locate thousands of paths.
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string | number;
    if (node === undefined || typeof node === 'number') return offset;
    if ('keys' in node) {
      const at = entryIndex(node, String(seg));
      if (at === -1) return offset;
      const keyStart = node.keyStarts[at] as number;
      if (i === path.length - 1 && anchor === 'key') return keyStart;
      node = node.values[at];
      offset = node === undefined ? keyStart : startOfNode(node);
    } else {
      const item = typeof seg === 'number' ? node.items[seg] : undefined;
      if (item === undefined) return offset;
      node = item;
      offset = startOfNode(item);
    }
  }
  return offset;
}

/** Parses YAML text with the `yaml` library alone (what `parseYamlSource` does outside the fast reader's subset). */
export function parseWithLibrary(text: string, file: string): SourceDoc {
  const lineCounter = new (yaml().LineCounter)();
  const at = (offset: number): SourceRange => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  let doc: Document;
  try {
    // prettyErrors off: its messages embed a multi-line source excerpt, ours are one line each.
    doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    // The composer catches its own stack overflows; this is for any other place that does not.
    if (!(error instanceof RangeError)) throw error;
    const diagnostic: Diagnostic = { severity: 'error', code: CONFIG_CODES.yamlTooDeep, message: TOO_DEEP, range: at(0) };
    return { file, value: undefined, syntaxErrors: [diagnostic], locate: () => at(0) };
  }

  // One syntax slip often yields several errors at the same spot; the first one explains it.
  const seen = new Set<number>();
  const syntaxErrors: Diagnostic[] = [];
  for (const error of doc.errors) {
    const offset = error.pos[0];
    if (seen.has(offset)) continue;
    seen.add(offset);
    // The composer reports its own stack overflow as RESOURCE_EXHAUSTION, where it gave up.
    const deep = error.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(error.message);
    syntaxErrors.push({
      severity: 'error',
      code: deep ? CONFIG_CODES.yamlTooDeep : CONFIG_CODES.yamlSyntax,
      message: deep ? TOO_DEEP : `YAML syntax error: ${error.message}`,
      range: at(offset),
    });
  }
  if (syntaxErrors.length === 0) syntaxErrors.push(...unknownTags(doc, text, at));
  if (syntaxErrors.length === 0) {
    const deep = firstTooDeep(doc);
    if (deep !== undefined) syntaxErrors.push({ severity: 'error', code: CONFIG_CODES.yamlTooDeep, message: TOO_DEEP, range: at(deep) });
  }

  let value: unknown;
  if (syntaxErrors.length === 0) {
    try {
      value = doc.toJS();
    } catch (error) {
      // toJS throws on an alias without its anchor and on alias bombs; the parser does not.
      syntaxErrors.push({
        severity: 'error',
        code: CONFIG_CODES.yamlSyntax,
        message: `YAML error: ${error instanceof Error ? error.message : String(error)}`,
        range: at(firstUnresolvedAlias(doc) ?? 0),
      });
    }
  }

  return {
    file,
    value,
    syntaxErrors,
    locate: (path, anchor = 'value') => at(offsetOf(doc, path, anchor)),
  };
}

function offsetOf(doc: Document, path: Path, anchor: Anchor): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const [i, seg] of path.entries()) {
    if (yaml().isAlias(node)) node = node.resolve(doc);
    const last = i === path.length - 1;
    if (yaml().isMap(node)) {
      const pair = node.items.find((p) => yaml().isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return offset;
      const keyStart = startOf(pair.key) ?? offset;
      if (last && anchor === 'key') return keyStart;
      // `user:` with nothing after it has an empty value node; the key is the useful place.
      const valueStart = isEmptyScalar(pair.value) ? undefined : startOf(pair.value);
      node = pair.value;
      offset = valueStart ?? keyStart;
    } else if (yaml().isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      const start = startOf(item);
      if (start === undefined) return offset;
      node = item;
      offset = start;
    } else {
      return offset;
    }
  }
  return offset;
}

/**
 * The parser resolves a tag it does not know to the plain value and drops the tag with a
 * warning; a config meant for another loader (`!!python/object`) must not pass as plain.
 */
function unknownTags(doc: Document, text: string, at: (offset: number) => SourceRange): Diagnostic[] {
  return doc.warnings
    .filter((w) => w.code === 'TAG_RESOLVE_FAILED')
    .map((w) => ({
      severity: 'error' as const,
      code: CONFIG_CODES.yamlUnknownTag,
      // The tag as written (`!!python/object`), not as the parser expanded it (`tag:yaml.org,2002:…`).
      message: `YAML tag ${text.slice(w.pos[0], w.pos[1])} is not one keyplan reads; remove it (keys.yaml holds plain strings, numbers, booleans, lists and mappings)`,
      range: at(w.pos[0]),
    }));
}

/** Offset of the first collection nested deeper than MAX_YAML_DEPTH, walking with an explicit stack (no recursion to overflow). */
function firstTooDeep(doc: Document): number | undefined {
  const stack: [node: unknown, depth: number][] = [[doc.contents, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!yaml().isMap(node) && !yaml().isSeq(node)) continue;
    if (depth > MAX_YAML_DEPTH) return startOf(node) ?? 0;
    // Pushed in reverse so the walk goes in document order and finds the first one.
    const children: unknown[] = yaml().isMap(node) ? node.items.flatMap((p) => [p.key, p.value]) : [...node.items];
    for (const child of children.reverse()) stack.push([child, depth + 1]);
  }
  return undefined;
}

function firstUnresolvedAlias(doc: Document): number | undefined {
  let offset: number | undefined;
  yaml().visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      offset = node.range?.[0];
      return yaml().visit.BREAK;
    },
  });
  return offset;
}

function startOf(node: unknown): number | undefined {
  return isNodeWithRange(node) ? node.range[0] : undefined;
}

function isEmptyScalar(node: unknown): boolean {
  const range = yaml().isScalar(node) && node.value === null ? node.range : undefined;
  return range !== undefined && range !== null && range[0] === range[1];
}

function isNodeWithRange(node: unknown): node is Node & { range: [number, number, number] } {
  return (yaml().isMap(node) || yaml().isSeq(node) || yaml().isScalar(node) || yaml().isAlias(node)) && Array.isArray(node.range);
}
