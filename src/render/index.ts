/**
 * render/: turns a Plan (and its diagnostics) into text for people and machines. Renderers
 * read only the Plan value, never providers or state, so `plan` and `show` print the
 * same thing. Colour and the symbols `+ ~ - +/- -/+` exist only here.
 */
export { renderPlanHuman, type HumanRenderOptions } from './human.js';
export { changeHeadline, reasonWords } from './reason-text.js';
