/** ANSI styling for the human renderer; every helper is the identity when colour is off. */

/** A styling function: wraps text in escape codes, or returns it unchanged. */
export type Paint = (text: string) => string;

/** The styles the human plan uses. */
export interface Palette {
  readonly green: Paint;
  readonly yellow: Paint;
  readonly red: Paint;
  readonly bold: Paint;
}

const wrap =
  (open: string): Paint =>
  (text) =>
    text.length === 0 ? text : `\u001b[${open}m${text}\u001b[0m`;

const plain: Paint = (text) => text;

/** The palette for `color` on or off. */
export function palette(color: boolean): Palette {
  return color ? { green: wrap('32'), yellow: wrap('33'), red: wrap('31'), bold: wrap('1') } : { green: plain, yellow: plain, red: plain, bold: plain };
}
