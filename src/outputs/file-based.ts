/**
 * Helpers of the outputs that write a file at their `path` (file, env_file, config-file
 * profiles): the schema requires `path` for them, so its absence is a bug, not bad input.
 */
import { InternalError } from '../errors/errors.js';
import type { OutputSpec } from '../model/desired.js';
import type { OutputWriteContext } from '../providers/module.js';

/** The `path` of a file-based output as written. */
export function pathOf(spec: OutputSpec): string {
  const path = spec['path'];
  if (typeof path !== 'string') throw new InternalError(`Expected the ${spec.type} output to have a path after validation`);
  return path;
}

/** OutputModule.describe of a file-based output: its path as written. */
export function describePath(spec: OutputSpec): string {
  return typeof spec['path'] === 'string' ? spec['path'] : '';
}

/** The resolved absolute path a file-based output's write gets in its context. */
export function absPathOf(spec: OutputSpec, ctx: OutputWriteContext): string {
  if (ctx.absPath === undefined) throw new InternalError(`Expected the ${spec.type} output to have a path after validation`);
  return ctx.absPath;
}
