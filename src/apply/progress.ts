/** Words for progress lines, Terraform style: `ci-deployer: creating...`, `creation complete after 2s`. */
import type { Action } from '../model/plan.js';

const VERBS: Readonly<Record<Action, readonly [doing: string, noun: string]>> = {
  create: ['creating', 'creation'],
  rotate: ['rotating', 'rotation'],
  update: ['updating', 'update'],
  delete: ['deleting', 'deletion'],
  retire: ['retiring', 'retirement'],
};

/** `creating`, `rotating`, ... */
export function doing(action: Action): string {
  return VERBS[action][0];
}

/** `creation`, `rotation`, ... */
export function noun(action: Action): string {
  return VERBS[action][1];
}

/** Whole seconds elapsed, as `3s`. */
export function elapsed(fromMs: number, nowMs: number): string {
  return `${Math.max(0, Math.round((nowMs - fromMs) / 1000))}s`;
}
