/**
 * The schema of an output that merges one profile per key into a CLI's shared config file
 * (OutputModule.sharedByProfile): a `path` and the `profile` keyplan owns in it.
 */
import type { JsonSchema } from '../module.js';

/** `{ type, path, profile }`; `description` says what the profile holds in that tool's file. */
export function profileOutputSchema(description: string): JsonSchema {
  return {
    required: ['path', 'profile'],
    properties: {
      path: true,
      profile: {
        title: 'Profile',
        description,
        type: 'string',
        pattern: '^[A-Za-z0-9_.-]+$',
        patternErrorMessage: 'must be a profile name (letters, digits, "_", "." and "-")',
      },
    },
  };
}
