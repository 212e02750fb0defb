/**
 * The output formats of `plan` and `show` (`--format human|json|markdown`, `--json`),
 * chosen once at start-up as a PlanView, and the one function both commands render
 * through, so a saved plan shows exactly as it did when it was made.
 */
import type { Plan } from '../../model/plan.js';
import { renderPlanHuman } from '../../render/human.js';
import { renderPlanJson, type PlanMeta } from '../../render/json.js';
import { renderPlanMarkdown } from '../../render/markdown.js';
import { UsageError } from '../args.js';
import { err, out, type CliIo } from '../io.js';

/** How a plan is printed. */
export type PlanFormat = 'human' | 'json' | 'markdown';

const FORMATS: readonly PlanFormat[] = ['human', 'json', 'markdown'];

/** The options `plan` and `show` share. */
export const FORMAT_OPTIONS = {
  format: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** The format asked for: `--json` is `--format json`; the two may not disagree. @default 'human' */
export function chosenFormat(command: string, values: { readonly format?: string | undefined; readonly json?: boolean | undefined }): PlanFormat {
  const format = values.format;
  if (format !== undefined && !FORMATS.includes(format as PlanFormat)) {
    throw new UsageError(command, `--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  }
  if (values.json === true && format !== undefined && format !== 'json') {
    throw new UsageError(command, `--json asks for --format json, but --format ${format} was given`);
  }
  return values.json === true ? 'json' : ((format as PlanFormat | undefined) ?? 'human');
}

/** What rendering needs besides the plan. */
export interface RenderContext {
  readonly color: boolean;
  /** For the JSON document. */
  readonly meta: PlanMeta;
  /** Heading of the Markdown view. */
  readonly title: string;
  /** The command a truncated Markdown view tells the reader to run to see everything. */
  readonly showCommand?: string;
}

/** The plan in `format`, ending with a newline. */
export function renderPlanAs(plan: Plan, format: PlanFormat, ctx: RenderContext): string {
  switch (format) {
    case 'json':
      return renderPlanJson(plan, ctx.meta);
    case 'markdown': {
      const text = renderPlanMarkdown(plan, { title: ctx.title, ...(ctx.showCommand ? { showCommand: ctx.showCommand } : {}) });
      return text.endsWith('\n') ? text : `${text}\n`;
    }
    case 'human':
      return renderPlanHuman(plan, { color: ctx.color });
  }
}

/** What `plan` and `show` print, in the format chosen at start-up. */
export interface PlanView {
  /** The plan on stdout. */
  show(plan: Plan, ctx: Omit<RenderContext, 'color'>): void;
  /** A sentence for the reader: on stdout with the plan in human form; on stderr otherwise, so stdout is the document alone. */
  note(text: string): void;
  /** A warning, always on stderr. */
  warn(text: string): void;
}

/** The view of `format`; `color` applies to the human form only. */
export function planView(io: CliIo, format: PlanFormat, color: boolean): PlanView {
  return {
    show: (plan, ctx) => out(io, renderPlanAs(plan, format, { ...ctx, color })),
    note: format === 'human' ? (text) => out(io, text) : (text) => err(io, text),
    warn: (text) => err(io, text),
  };
}
