/** The comment line keyplan writes into text outputs it owns, naming the key they belong to. */

/** The text every ownership marker line starts with: `# managed by keyplan: <key name>`. */
export const MARKER_PREFIX = '# managed by keyplan: ';
