/**
 * plan/: the pure planner. It turns the declared keys, the live snapshot refresh read and
 * keyplan's state into a Plan (src/model/plan.ts): sorted, deterministic, secret-free.
 * No I/O, no clock, no randomness; everything it needs is passed in.
 */
export { plan, type PlanOptions } from './planner.js';
export { PLAN_CODES } from './diagnostics.js';
