/** Where a value came from in a config file, 1-based, for `file:line:col` messages. */
export interface SourceRange {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}
