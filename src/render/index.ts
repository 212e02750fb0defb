/**
 * render/: turns a Plan (and its diagnostics) into text for people and machines. Renderers
 * read only the Plan value, never providers or state, so `plan` and `show` print the
 * same thing. Colour and the symbols `+ ~ - +/- -/+` exist only here.
 */
export { renderPlanHuman, type HumanRenderOptions } from './human.js';
export { changeHeadline, reasonWords } from './reason-text.js';
export {
  PLAN_FORMAT_VERSION,
  planDocument,
  renderPlanJson,
  keyChangeDocument,
  diagnosticDocument,
  unmanagedKeyDocument,
  jsonActions,
  type PlanMeta,
  type PlanDocument,
  type KeyChangeDocument,
  type DiagnosticDocument,
  type UnmanagedKeyDocument,
} from './json.js';
export { renderPlanMarkdown, GITHUB_COMMENT_LIMIT, type MarkdownOptions } from './markdown.js';
