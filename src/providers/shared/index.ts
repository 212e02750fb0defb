/**
 * src/providers/shared: logic that is the same in every provider adapter, so it is
 * written once: reading a block's settings and reporting their problems, endpoint URL
 * rules, credentials file paths, the sandbox's bootstrap credentials, and the pieces of
 * HTTP retrying the fetch-based adapters have in common. What differs per provider
 * (defaults, accepted forms, retry timing) stays in the provider's folder.
 */
export { errorCode, fetchFailureCause } from './fetch-failure.js';
export { expandPath, readTextFile } from './files.js';
export { doublingDelayMs, sleep, type RetryPolicy } from './retry.js';
export { startedSandbox, type StartedSandbox } from './sandbox.js';
export { settingsConfigError, settingsDiagnostics, settingsMessage, usableSettings } from './settings-problems.js';
export { ENV_NAME_PATTERN, settingsReader, type ParsedSettings, type SettingProblem, type SettingsReader } from './settings-reader.js';
export { httpUrlProblem, parseUrl, urlPartsProblem } from './url.js';
