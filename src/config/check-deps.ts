/**
 * Semantic checks on `depends_on`: every target exists, no key depends on itself, and the
 * dependencies form no cycle (apply runs them as a DAG). Each cycle is reported once, as
 * `a -> b -> a`, starting from its earliest key in the file.
 */
import { CONFIG_CODES } from './codes.js';
import type { CheckContext, KeyView } from './check-context.js';
import { asArray } from './raw.js';
import { suggest } from './suggest.js';

/** Targets exist, no self-dependency, no cycle. */
export function checkDependencies(ctx: CheckContext): void {
  const names = [...ctx.firstByName.keys()];
  // Edges between first definitions only: a duplicate name is reported on its own.
  const edges = new Map<string, string[]>();
  for (const key of ctx.keys) {
    const deps = asArray(key.record['depends_on']) ?? [];
    const targets: string[] = [];
    for (const j of deps.keys()) {
      const path = [...key.path, 'depends_on', j];
      const target = ctx.stringAt(path);
      if (target === undefined) continue;
      if (target === key.name) {
        ctx.report(path, CONFIG_CODES.selfDependency, `key "${target}" depends on itself`);
      } else if (!ctx.firstByName.has(target)) {
        const close = suggest(target, names);
        ctx.report(path, CONFIG_CODES.unknownDependency, `no key named "${target}"${close !== undefined ? ` (did you mean "${close}"?)` : ''}`);
      } else {
        targets.push(target);
      }
    }
    if (key.name !== undefined && ctx.firstByName.get(key.name) === key) edges.set(key.name, targets);
  }

  for (const component of stronglyConnected(names, edges)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    // Start at the member that comes first in the file, so the message is stable.
    const start = names.find((n) => members.has(n)) as string;
    const cycle = shortestCycle(start, edges, members);
    const view = ctx.firstByName.get(start) as KeyView;
    const deps = asArray(view.record['depends_on']) ?? [];
    const index = deps.indexOf(cycle[1]);
    ctx.report([...view.path, 'depends_on', index], CONFIG_CODES.dependencyCycle, `dependency cycle: ${cycle.join(' -> ')}`);
  }
}

/** Tarjan's algorithm; components come out in a deterministic order for a given input. */
function stronglyConnected(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;

  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      out.push(component);
    }
  };
  // A key without dependencies is a component of its own and in no cycle: only keys that
  // depend on something start a walk (most configs have few), the rest are never visited.
  for (const node of nodes) if (!index.has(node) && (edges.get(node)?.length ?? 0) > 0) visit(node);
  return out;
}

/** Breadth-first search from `start` back to itself inside one component: `[a, b, a]`. */
function shortestCycle(start: string, edges: ReadonlyMap<string, readonly string[]>, members: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let back = node; back !== start;) {
          back = cameFrom.get(back) as string;
          path.push(back);
        }
        return [...path.reverse(), start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
