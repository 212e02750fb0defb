/** The apply prompt: only the word "yes" approves, as in Terraform. */
import { createInterface } from 'node:readline/promises';
import { KeyplanError } from '../errors/errors.js';
import type { CliIo } from './io.js';
import { CLI_CODES } from './codes.js';

/** Asks for approval; throws when nobody can answer (no TTY, or CI=true). */
export async function confirmApply(io: CliIo): Promise<boolean> {
  if (!io.interactive) {
    throw new KeyplanError('apply needs approval, but no one can answer a prompt here (not a terminal, or CI=true); pass --auto-approve', {
      code: CLI_CODES.approvalImpossible,
      source: 'user',
    });
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(
      "\nDo you want to perform these actions?\n  keyplan will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
    );
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}
