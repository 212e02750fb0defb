/**
 * GitHub Actions job summaries: when `$GITHUB_STEP_SUMMARY` names a file, `plan` appends
 * its Markdown there. GitHub refuses a step summary over 1 MiB (the upload fails with an
 * annotation), so keyplan never grows the file past that: the Markdown is rendered to fit
 * the room left (the renderer keeps the headline and the end when it truncates), and
 * nothing is written when too little room is left for a useful summary.
 */
import { appendFile, stat } from 'node:fs/promises';

/** GitHub's cap on one step's summary, in bytes. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Below this much room, a summary would be only a truncation notice; keyplan writes none. */
export const STEP_SUMMARY_MIN_BYTES = 1024;

/** What happened. */
export type StepSummaryOutcome = { readonly written: true; readonly bytes: number } | { readonly written: false; readonly why: string };

/**
 * Appends the Markdown `render(maxLength)` returns to `path`, with `maxLength` (characters)
 * chosen so the file stays within `limit` bytes.
 */
export async function appendStepSummary(
  path: string,
  render: (maxLength: number) => string,
  limit: number = STEP_SUMMARY_LIMIT_BYTES,
): Promise<StepSummaryOutcome> {
  let size = 0;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { written: false, why: (error as Error).message };
  }
  // One newline keeps this summary from running into what an earlier step wrote.
  const separator = size > 0 ? '\n' : '';
  const room = limit - size - Buffer.byteLength(separator);
  if (room < STEP_SUMMARY_MIN_BYTES) return { written: false, why: `it already holds ${size} bytes of GitHub's ${limit}-byte limit` };
  let maxLength = room;
  let text = withNewline(render(maxLength));
  // Characters are not bytes: shrink until the UTF-8 text fits (a few rounds at most).
  for (let round = 0; Buffer.byteLength(text) > room && round < 8; round++) {
    maxLength = Math.floor(((maxLength * room) / Buffer.byteLength(text)) * 0.98);
    if (maxLength < STEP_SUMMARY_MIN_BYTES / 4) break;
    text = withNewline(render(maxLength));
  }
  const bytes = Buffer.byteLength(separator + text);
  if (bytes > limit - size) return { written: false, why: `the plan does not fit in the ${limit - size} bytes left` };
  try {
    await appendFile(path, separator + text, 'utf8');
  } catch (error) {
    return { written: false, why: (error as Error).message };
  }
  return { written: true, bytes };
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
