/**
 * Applies a plan: one DAG node per change, dependencies from the plan, per-provider
 * concurrency, progress through the reporter (start, heartbeat, complete, errored),
 * and a summary. A failed change skips its dependents only; the others go on.
 */
import type { ApplyCounts, Plan, PlannedChange } from '../model/plan.js';
import type { StepContext } from './context.js';
import { runDag, type DagNode, type NodeOutcome } from './dag.js';
import { executeChange } from './execute-change.js';
import { doing, elapsed, noun } from './progress.js';

export interface ApplyOptions {
  /** Changes running at once. @default 10 */
  readonly parallelism?: number;
  /** Changes of one provider running at once, when `concurrencyOfProvider` says nothing. @default 4 */
  readonly providerParallelism?: number;
  /** Changes of provider block `provider` running at once (its max_concurrency); `parallelism` still caps them all. */
  readonly concurrencyOfProvider?: (provider: string) => number | undefined;
  /** Seconds between "still creating..." heartbeats. @default 10 */
  readonly heartbeatSeconds?: number;
  /**
   * Stops the run gracefully: no new change starts; changes in flight finish and are
   * recorded (a key half-created is worse than a run that takes a second longer).
   */
  readonly stopSignal?: AbortSignal;
}

/** What happened to each change, by address. */
export interface ApplyResult {
  readonly outcomes: ReadonlyMap<string, NodeOutcome>;
  readonly counts: ApplyCounts;
}

/** Runs every change of `plan`. Never throws for a failed change: see `outcomes`. */
export async function applyPlan(ctx: StepContext, plan: Plan, options: ApplyOptions = {}): Promise<ApplyResult> {
  const changes = new Map(plan.changes.map((c) => [c.address, c]));
  const addressOf = new Map(plan.changes.map((c) => [c.name, c.address]));
  const nodes: DagNode[] = plan.changes.map((c) => ({
    id: c.address,
    group: c.provider,
    dependsOn: c.dependsOn.map((n) => addressOf.get(n)).filter((a): a is string => a !== undefined && a !== c.address),
  }));
  const outcomes = await runDag(nodes, (node) => runOne(ctx, changes.get(node.id) as PlannedChange, options), {
    concurrency: options.parallelism ?? 10,
    groupConcurrency: options.providerParallelism ?? 4,
    ...(options.concurrencyOfProvider === undefined ? {} : { concurrencyOfGroup: options.concurrencyOfProvider }),
    signal: options.stopSignal,
  });
  for (const [address, o] of outcomes) {
    if (o.outcome === 'skipped') {
      const c = changes.get(address) as PlannedChange;
      ctx.reporter.notify({
        level: 'warn',
        code: 'apply_skipped',
        message: `${c.name}: skipped (${o.because === 'interrupted' ? 'interrupted' : `depends on ${o.because}, which did not complete`})`,
        data: { name: c.name, address },
      });
    }
  }
  return { outcomes, counts: count(plan, outcomes) };
}

async function runOne(ctx: StepContext, change: PlannedChange, options: ApplyOptions): Promise<void> {
  const started = ctx.now();
  const data = { name: change.name, address: change.address, action: change.action };
  ctx.reporter.notify({ level: 'info', code: 'apply_start', message: `${change.name}: ${doing(change.action)}...`, data });
  const heartbeat = setInterval(
    () => {
      ctx.reporter.notify({
        level: 'info',
        code: 'apply_progress',
        message: `${change.name}: still ${doing(change.action)}... [${elapsed(started, ctx.now())} elapsed]`,
        data: { ...data, elapsedSeconds: Math.round((ctx.now() - started) / 1000) },
      });
    },
    (options.heartbeatSeconds ?? 10) * 1000,
  );
  try {
    const result = await executeChange(ctx, change);
    const id = result.created ? ` [id=${result.created.id}]` : '';
    ctx.reporter.notify({
      level: 'info',
      code: 'apply_complete',
      message: `${change.name}: ${noun(change.action)} complete after ${elapsed(started, ctx.now())}${id}`,
      data: { ...data, id: result.created?.id },
    });
  } catch (error) {
    ctx.reporter.notify({
      level: 'error',
      code: 'apply_errored',
      message: `${change.name}: ${noun(change.action)} failed: ${error instanceof Error ? error.message : String(error)}`,
      data: { ...data },
    });
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

function count(plan: Plan, outcomes: ReadonlyMap<string, NodeOutcome>): ApplyCounts {
  const c = { created: 0, rotated: 0, updated: 0, deleted: 0, failed: 0, skipped: 0 };
  for (const change of plan.changes) {
    const o = outcomes.get(change.address);
    if (o?.outcome === 'failed') c.failed++;
    else if (o?.outcome === 'skipped') c.skipped++;
    else if (change.action === 'create') c.created++;
    else if (change.action === 'rotate') c.rotated++;
    else if (change.action === 'update' || (change.action === 'retire' && change.deletes.length === 0)) c.updated++;
    else if (change.action === 'delete' || change.action === 'retire') c.deleted++;
  }
  return c;
}
