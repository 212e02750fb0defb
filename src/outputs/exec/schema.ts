/** keys.yaml fields of an `exec` output. */
import type { JsonSchema } from '../../providers/module.js';

const argv = (title: string, description: string): JsonSchema => ({
  title,
  description,
  type: 'array',
  minItems: 1,
  items: { type: 'string', minLength: 1 },
  errorMessage: 'must be a list of at least one non-empty string: the program, then its arguments (no shell)',
});

/** `{ type: exec, command, undo?, env?, timeout? }`. */
export const execOutputSchema: JsonSchema = {
  required: ['command'],
  properties: {
    command: argv(
      'Command',
      'Program and arguments, e.g. `[vault, kv, put, secret/ci, -]` or `[node, scripts/store.mjs]`; run without a shell in the folder of keys.yaml, with the key document on stdin (see the README). Exit 0 means delivered.',
    ),
    undo: argv(
      'Undo command',
      'Run with the same document when a later output of the key fails, to take back what `command` stored. Without it a rollback cannot undo this output.',
    ),
    env: {
      title: 'Environment',
      description: "Variables set for the commands on top of keyplan's own environment. Values are written in keys.yaml, so never a secret.",
      type: 'object',
      propertyNames: {
        pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        patternErrorMessage: 'must be an environment variable name (letters, digits and "_", not starting with a digit)',
      },
      additionalProperties: { type: 'string' },
    },
    timeout: {
      $ref: '#/definitions/duration',
      title: 'Timeout',
      description: 'How long each command may run before it is stopped and the output fails. Default: `30s`.',
    },
  },
};
