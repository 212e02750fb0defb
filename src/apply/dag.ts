/**
 * A dependency graph walker on p-queue. A node is queued only when every node it depends
 * on has succeeded; when one fails, its dependents are skipped (not reported as errors:
 * the one real failure is), and independent branches go on. Concurrency is bounded
 * overall and per group (a provider). A step waits for its group's slot first and only
 * then for a global slot, so steps queued behind one slow or rate-limited provider hold
 * none of the global slots and another provider's steps start at once.
 */
import PQueue from 'p-queue';
import { InternalError } from '../errors/errors.js';

export interface DagNode {
  readonly id: string;
  readonly dependsOn: readonly string[];
  /** Nodes of one group share `groupConcurrency` slots (a provider block). */
  readonly group: string;
}

export type NodeOutcome =
  { readonly outcome: 'succeeded' } | { readonly outcome: 'failed'; readonly error: unknown } | { readonly outcome: 'skipped'; readonly because: string };

export interface DagOptions {
  /** Steps running at once. @default 10 */
  readonly concurrency?: number;
  /** Steps of one group running at once. @default 4 */
  readonly groupConcurrency?: number;
  /** Per-group cap (a provider block's max_concurrency); falls back to `groupConcurrency`. */
  readonly concurrencyOfGroup?: (group: string) => number | undefined;
  readonly signal?: AbortSignal;
}

/** Throws InternalError naming a cycle or an unknown dependency. */
export function checkGraph(nodes: readonly DagNode[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!byId.has(d)) throw new InternalError(`Expected dependency "${d}" of step "${n.id}" to be a step of the plan, got none`);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new InternalError(`dependency cycle between steps: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const d of (byId.get(id) as DagNode).dependsOn) visit(d, [...path, id]);
    state.set(id, 'done');
  };
  for (const n of nodes) visit(n.id, []);
}

/** Runs every node once its dependencies succeeded; resolves when all are settled. */
export async function runDag(nodes: readonly DagNode[], run: (node: DagNode) => Promise<void>, options: DagOptions = {}): Promise<Map<string, NodeOutcome>> {
  checkGraph(nodes);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const main = new PQueue({ concurrency: options.concurrency ?? 10 });
  const groups = new Map<string, PQueue>();
  const groupQueue = (g: string): PQueue => {
    let q = groups.get(g);
    if (!q) groups.set(g, (q = new PQueue({ concurrency: options.concurrencyOfGroup?.(g) ?? options.groupConcurrency ?? 4 })));
    return q;
  };
  const started = new Map<string, Promise<NodeOutcome>>();

  const start = (id: string): Promise<NodeOutcome> => {
    const existing = started.get(id);
    if (existing) return existing;
    const node = byId.get(id) as DagNode;
    const promise = (async (): Promise<NodeOutcome> => {
      const deps = await Promise.all(node.dependsOn.map((d) => start(d).then((o) => [d, o] as const)));
      const blocker = deps.find(([, o]) => o.outcome !== 'succeeded');
      if (blocker) return { outcome: 'skipped', because: blocker[0] };
      if (options.signal?.aborted) return { outcome: 'skipped', because: 'interrupted' };
      try {
        let ran = false;
        // Group slot outside, global slot inside: the other way round, a step waiting for
        // its group would sit on a global slot that another provider's step could use.
        await groupQueue(node.group).add(() =>
          main.add(async () => {
            // Checked again when the step gets its slot: it may have waited in the queue
            // while the run was interrupted.
            if (options.signal?.aborted) return;
            ran = true;
            await run(node);
          }),
        );
        if (!ran) return { outcome: 'skipped', because: 'interrupted' };
        return { outcome: 'succeeded' };
      } catch (error) {
        return { outcome: 'failed', error };
      }
    })();
    started.set(id, promise);
    return promise;
  };

  const outcomes = await Promise.all(nodes.map((n) => start(n.id).then((o) => [n.id, o] as const)));
  return new Map(outcomes);
}
