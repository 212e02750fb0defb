/**
 * `keyplan sandbox session-token`: a session-token profile for the sandbox's OCI
 * emulator, as `oci session authenticate` writes one (emulators/oci/session-profile.ts).
 * It lives here, not in the CLI, because it is about one vendor: the CLI only forwards.
 */
import path from 'node:path';
import { writeSandboxSession } from './oci/index.js';

/** The help lines of the subcommand, for `keyplan sandbox --help`. */
export const SESSION_TOKEN_USAGE = `       keyplan sandbox session-token [--data DIR] [--profile NAME] [--user OCID]
                                     [--config-file FILE] [--minutes N]`;

export const SESSION_TOKEN_HELP = `  session-token
          does what \`oci session authenticate\` does, against the sandbox's OCI emulator:
          writes a session key, a session token for --user (default: the sandbox's
          tenancy administrator) valid --minutes (default 60), and a profile
          --profile (default DEFAULT) with security_token_file and no user into
          --config-file (default DIR/oci/config). A provider block with that
          config_file and profile and the endpoint serve prints signs with it.`;

/** What the subcommand reads out of the parsed `sandbox` options. */
export interface SessionTokenArgs {
  /** The sandbox data folder (its OCI emulator's data is in `oci/`). */
  readonly data: string;
  readonly profile: string;
  readonly user?: string | undefined;
  readonly configFile?: string | undefined;
  readonly minutes: number;
}

/** Mints the session and returns the line to print; neither token nor key is in it. */
export async function sandboxSessionToken(args: SessionTokenArgs): Promise<string> {
  const dataDir = path.resolve(args.data, 'oci');
  const configFile = path.resolve(args.configFile ?? path.join(dataDir, 'config'));
  const session = await writeSandboxSession({
    dataDir,
    configFile,
    profile: args.profile,
    ...(args.user === undefined ? {} : { user: args.user }),
    ttlMs: args.minutes * 60_000,
  });
  return `Wrote profile [${session.profile}] of ${session.configFile}: a session token for user ${session.user} (expires ${session.expiresAt}).`;
}
