/**
 * The JSON plan document (`plan --json`, `show --json`): a versioned, machine-readable
 * view of a Plan, described by `schemas/plan.schema.json`. Modelled on Terraform's
 * `show -json` (an `actions` array per change so callers can scan for "delete",
 * `*_sensitive` and `after_unknown` flags) but sensitive values are never present, only
 * marked. Deterministic: fixed key order, attribute names sorted, no timestamps.
 */
import type { AttributeValue, Attributes } from '../model/desired.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { LiveKey, LiveStatus } from '../model/live.js';
import type { Action, LiveRef, Plan, PlannedChange, PlanSummary, Reason, RotationOrder } from '../model/plan.js';
import { formatDuration } from '../model/duration.js';
import { REDACTED } from '../model/secret.js';
import type { InstancePhase, PhaseName } from '../model/phases.js';

/** Version of the document's shape. A consumer rejects an unknown major and ignores unknown fields. */
export const PLAN_FORMAT_VERSION = '1.1';

/** Facts about the run that the Plan value itself does not hold; the CLI supplies them. */
export interface PlanMeta {
  /** keyplan's own version (package.json). */
  readonly keyplanVersion: string;
  /** sha256 (hex) of the config file the plan was computed from. */
  readonly configHash?: string;
  /** Lineage of the state the plan was computed against. */
  readonly stateLineage?: string;
  /** Serial of that state. */
  readonly stateSerial?: number;
}

/** Terraform's change actions: a rotation is a create and a delete, in its order. */
export type JsonAction = 'create' | 'update' | 'delete';

/** Attribute names flagged `true` (sensitive, or unknown until apply). */
export type AttributeFlags = Readonly<Record<string, true>>;

/**
 * Where a rotation stands: `replace` creates and delivers the new key, `deactivate` makes
 * old keys inactive after their overlap (rotation.deactivate_for), `retire` deletes them.
 */
export type RotationPhase = 'replace' | 'deactivate' | 'retire';

/** Rotation details of a rotate or retire change. */
export interface RotationDocument {
  readonly phase: RotationPhase;
  /** For `replace`: which key goes first. */
  readonly order?: RotationOrder;
  /** For `replace`: how long the old key lives on after the new one is delivered; 0 = deleted in this apply. */
  readonly overlap_ms?: number;
  /** `overlap_ms` as a duration, e.g. `7d`. */
  readonly overlap?: string;
  /** rotation.deactivate_for: how long an old key stays deactivated before a later apply deletes it. */
  readonly deactivate_for_ms?: number;
  /** `deactivate_for_ms` as a duration. */
  readonly deactivate_for?: string;
}

/** One live key's phase in `rotation_phases` (model/phases.ts). */
export interface KeyPhaseDocument {
  readonly id: string;
  readonly role: InstancePhase['role'];
  readonly phase: PhaseName;
  readonly until?: string;
  readonly next?: { readonly phase: PhaseName; readonly at?: string; readonly due: boolean };
}

/** A rotating key's phases. */
export interface KeyPhasesDocument {
  readonly address: string;
  readonly name: string;
  readonly kind: string;
  readonly keys: readonly KeyPhaseDocument[];
}

/** One key's change. */
export interface KeyChangeDocument {
  readonly address: string;
  readonly name: string;
  readonly kind: string;
  readonly provider: string;
  readonly owner: string;
  /** keyplan's own action word. */
  readonly action: Action;
  /** Terraform-style actions, in the order they happen. */
  readonly actions: readonly JsonAction[];
  readonly reason: Reason;
  /** Non-sensitive attributes of the existing key; null when there is none. */
  readonly before: Attributes | null;
  /** Non-sensitive, known attributes after the change; null when the key goes away. */
  readonly after: Attributes | null;
  readonly before_sensitive: AttributeFlags;
  readonly after_sensitive: AttributeFlags;
  readonly after_unknown: AttributeFlags;
  readonly rotation?: RotationDocument;
  readonly depends_on: readonly string[];
  readonly deletes: readonly LiveRef[];
  /** Retiring keys this change deactivates. */
  readonly deactivates?: readonly LiveRef[];
  /** A rotation's new key that has not authenticated yet, verified again by this change (reason `unverified`). */
  readonly verifies?: LiveRef;
  /** Sentences for a reviewer: quota reordering, due dates of retirements. */
  readonly notes: readonly string[];
}

/** A live key no declaration claims. */
export interface UnmanagedKeyDocument {
  readonly provider: string;
  readonly kind: string;
  readonly owner: string;
  readonly id: string;
  readonly status: LiveStatus;
  readonly created_at?: string;
  readonly expires_at?: string;
  readonly marker?: string;
  readonly attributes: Attributes;
}

/** A diagnostic, with its place in the config when known. */
export interface DiagnosticDocument {
  readonly severity: Diagnostic['severity'];
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  readonly range?: { readonly file: string; readonly line: number; readonly column: number };
}

/**
 * Counts of the summary line. `import` counts live keys carrying keyplan's marker of a
 * declared name that wait for `keyplan import NAME ID` (apply does not adopt them).
 */
export type SummaryDocument = PlanSummary;

/** The whole document. */
export type PlanDocument = {
  readonly format_version: typeof PLAN_FORMAT_VERSION;
  readonly keyplan_version: string;
  readonly config_hash?: string;
  readonly state_lineage?: string;
  readonly state_serial?: number;
  /** True when a diagnostic is an error: the plan is shown but cannot be applied. */
  readonly errored: boolean;
  readonly summary: SummaryDocument;
  readonly key_changes: readonly KeyChangeDocument[];
  readonly unmanaged: readonly UnmanagedKeyDocument[];
  /** Rotations in their overlap: the old key and when the next apply retires it. */
  readonly rotations_pending: readonly {
    readonly address: string;
    readonly name: string;
    readonly kind: string;
    readonly id: string;
    readonly retire_after: string;
  }[];
  /** Each rotating key's phases before this apply (sorted by address). */
  readonly rotation_phases: readonly KeyPhasesDocument[];
  readonly diagnostics: readonly DiagnosticDocument[];
};

/** The plan as a JSON-ready document. */
export function planDocument(plan: Plan, meta: PlanMeta): PlanDocument {
  return {
    format_version: PLAN_FORMAT_VERSION,
    keyplan_version: meta.keyplanVersion,
    ...(meta.configHash === undefined ? {} : { config_hash: meta.configHash }),
    ...(meta.stateLineage === undefined ? {} : { state_lineage: meta.stateLineage }),
    ...(meta.stateSerial === undefined ? {} : { state_serial: meta.stateSerial }),
    errored: plan.errored,
    summary: {
      create: plan.summary.create,
      rotate: plan.summary.rotate,
      update: plan.summary.update,
      delete: plan.summary.delete,
      import: plan.summary.import,
    },
    key_changes: plan.changes.map(keyChangeDocument),
    unmanaged: plan.unmanaged.map(unmanagedKeyDocument),
    rotations_pending: (plan.pending ?? []).map((p) => ({ address: p.address, name: p.name, kind: p.kind, id: p.id, retire_after: p.retireAfter })),
    rotation_phases: (plan.phases ?? []).map((k): KeyPhasesDocument => ({
      address: k.address,
      name: k.name,
      kind: k.kind,
      keys: k.instances.map(keyPhaseDocument),
    })),
    diagnostics: plan.diagnostics.map(diagnosticDocument),
  };
}

/** The plan document as one line of JSON and a newline. Byte-identical for equal plans. */
export function renderPlanJson(plan: Plan, meta: PlanMeta): string {
  return `${JSON.stringify(planDocument(plan, meta))}\n`;
}

/** Terraform's `actions` for a keyplan action. */
export function jsonActions(change: Pick<PlannedChange, 'action' | 'order'> & Partial<Pick<PlannedChange, 'deletes' | 'verifies'>>): JsonAction[] {
  switch (change.action) {
    case 'create':
      return ['create'];
    case 'update':
      return ['update'];
    case 'delete':
      return ['delete'];
    case 'retire':
      // Deactivating old keys changes them in place; deleting any is a delete.
      return change.deletes !== undefined && change.deletes.length === 0 ? ['update'] : ['delete'];
    case 'rotate':
      // Verifying an unverified rotation's new key again creates nothing; the old key may go.
      if (change.verifies !== undefined) return change.deletes !== undefined && change.deletes.length > 0 ? ['update', 'delete'] : ['update'];
      return change.order === 'delete_before_create' ? ['delete', 'create'] : ['create', 'delete'];
  }
}

/** One change as a document; also the `change` of the `planned_change` NDJSON event. */
export function keyChangeDocument(change: PlannedChange): KeyChangeDocument {
  const sensitive = new Set(change.sensitive);
  const unknown = new Set(change.computed);
  const rotation = rotationDocument(change);
  return {
    address: change.address,
    name: change.name,
    kind: change.kind,
    provider: change.provider,
    owner: change.owner,
    action: change.action,
    actions: jsonActions(change),
    reason: change.reason,
    before: change.before === null ? null : visibleAttributes(change.before, sensitive),
    // An attribute only known after apply has no value yet, whatever the plan carried.
    after: change.after === null ? null : visibleAttributes(change.after, new Set([...sensitive, ...unknown])),
    before_sensitive: change.before === null ? {} : flags(sensitive),
    after_sensitive: change.after === null ? {} : flags(sensitive),
    after_unknown: change.after === null ? {} : flags(unknown),
    ...(rotation === undefined ? {} : { rotation }),
    depends_on: [...change.dependsOn],
    deletes: change.deletes.map(liveRefDocument),
    ...(change.deactivates === undefined ? {} : { deactivates: change.deactivates.map(liveRefDocument) }),
    ...(change.verifies === undefined ? {} : { verifies: liveRefDocument(change.verifies) }),
    notes: [...change.notes],
  };
}

/** An unmanaged live key as a document. */
export function unmanagedKeyDocument(key: LiveKey): UnmanagedKeyDocument {
  return {
    provider: key.provider,
    kind: key.kind,
    owner: key.owner,
    id: key.id,
    status: key.status,
    ...(key.createdAt === undefined ? {} : { created_at: key.createdAt }),
    ...(key.expiresAt === undefined ? {} : { expires_at: key.expiresAt }),
    ...(key.marker === undefined ? {} : { marker: key.marker }),
    attributes: visibleAttributes(key.attributes ?? {}, new Set()),
  };
}

/** A diagnostic as a document (the `diagnostic` NDJSON event uses the same shape). */
export function diagnosticDocument(d: Diagnostic): DiagnosticDocument {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.path === undefined ? {} : { path: d.path }),
    ...(d.range === undefined ? {} : { range: { file: d.range.file, line: d.range.line, column: d.range.column } }),
  };
}

function rotationDocument(change: PlannedChange): RotationDocument | undefined {
  const deactivateFor =
    change.deactivateForMs === undefined ? {} : { deactivate_for_ms: change.deactivateForMs, deactivate_for: formatDuration(change.deactivateForMs) };
  if (change.action === 'retire') return { phase: change.deletes.length === 0 ? 'deactivate' : 'retire', ...deactivateFor };
  if (change.action !== 'rotate') return undefined;
  const overlap = change.order === 'delete_before_create' ? 0 : (change.overlapMs ?? 0);
  return {
    phase: 'replace',
    order: change.order ?? 'create_before_delete',
    overlap_ms: overlap,
    overlap: formatDuration(overlap),
    ...(overlap > 0 ? deactivateFor : {}),
  };
}

function liveRefDocument(d: LiveRef): LiveRef {
  return { provider: d.provider, kind: d.kind, owner: d.owner, id: d.id };
}

function keyPhaseDocument(p: InstancePhase): KeyPhaseDocument {
  return {
    id: p.instanceId,
    role: p.role,
    phase: p.phase,
    ...(p.until === undefined ? {} : { until: p.until }),
    ...(p.next === undefined ? {} : { next: { phase: p.next.phase, ...(p.next.at === undefined ? {} : { at: p.next.at }), due: p.next.due } }),
  };
}

/** Attributes sorted by name, without the hidden ones; a non-scalar value (never expected) is masked. */
function visibleAttributes(attrs: Attributes, hidden: ReadonlySet<string>): Attributes {
  const out: Record<string, AttributeValue> = {};
  for (const name of Object.keys(attrs).sort(compareText)) {
    if (hidden.has(name)) continue;
    const value: unknown = attrs[name];
    const scalar = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    out[name] = scalar ? (value as AttributeValue) : REDACTED;
  }
  return out;
}

function flags(names: ReadonlySet<string>): AttributeFlags {
  const out: Record<string, true> = {};
  for (const name of [...names].sort(compareText)) out[name] = true;
  return out;
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
