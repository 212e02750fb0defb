// Checks each bench figure against its target and prints the table.

/** A row with `pass` set (true/false) when it has a target, left out when it has none. */
export function judge(row) {
  if (row.target === undefined) return row;
  const pass = row.op === '<' ? row.value < row.target : row.value <= row.target;
  return { ...row, pass };
}

const fmt = (v, unit) => (unit === 'x' ? v.toFixed(2) : v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** The rows as an aligned text table: figure, value, target, pass/fail. */
export function formatTable(rows) {
  const lines = rows.map((r) => [
    r.name,
    `${fmt(r.value, r.unit)} ${r.unit}${r.note ? ` (${r.note})` : ''}`,
    r.target === undefined ? '' : `${r.op} ${fmt(r.target, r.unit)} ${r.unit}`,
    r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL',
  ]);
  const head = ['figure', 'value', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[row(head), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n')}\n`;
}
