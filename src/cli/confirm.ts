/**
 * The apply prompt: only the word "yes" approves, as in Terraform. Ctrl-C and Ctrl-D (end
 * of input) at the prompt cancel; an answer piped to stdin (`echo yes | keyplan apply`)
 * counts, as in Terraform, except under CI, where nobody typed it.
 */
import { createInterface } from 'node:readline';
import { KeyplanError } from '../errors/errors.js';
import type { CliIo } from './io.js';
import { CLI_CODES } from './codes.js';
import { planCutShort } from './closed-output.js';
import { whilePrompting } from './interrupt.js';

const QUESTION =
  "\nDo you want to perform these actions?\n  keyplan will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ";

/** Asks for approval; resolves false on any other answer, Ctrl-C or end of input; throws under CI with no terminal. */
export async function confirmApply(io: CliIo): Promise<boolean> {
  const ci = io.env.CI !== undefined && io.env.CI !== '' && io.env.CI !== 'false';
  if (!io.interactive && ci) {
    throw new KeyplanError('apply needs approval, but CI is set and no one can answer a prompt here; pass --auto-approve', {
      code: CLI_CODES.approvalImpossible,
      source: 'user',
    });
  }
  // `keyplan apply | head`: whoever answers has not seen the whole plan.
  if (await planCutShort(io)) return false;
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: io.interactive });
  let stopAsking: () => void = () => undefined;
  try {
    const answer = await whilePrompting(
      new Promise<string | undefined>((resolve) => {
        // Ctrl-C on a terminal reaches readline as SIGINT; end of input (Ctrl-D, an empty pipe) closes it.
        rl.once('SIGINT', () => resolve(undefined));
        rl.once('close', () => resolve(undefined));
        // A signal from elsewhere (Ctrl-C while stdin is a pipe, kill -INT, kill -TERM) cancels as well.
        const onSignal = (): void => resolve(undefined);
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        stopAsking = () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        };
        rl.question(QUESTION, resolve);
      }),
    );
    if (answer === undefined) io.stderr.write('\n');
    return answer?.trim() === 'yes';
  } finally {
    stopAsking();
    rl.close();
  }
}
