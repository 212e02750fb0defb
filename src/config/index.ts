/**
 * config/ — loads keys.yaml: YAML with source positions (yaml-source), JSON Schema
 * validation with ajv against the schema built from the provider modules (schema-build,
 * schema, schema-errors), semantic checks (check-*), resolution into the model's
 * KeyplanConfig (resolve, with each kind's mapper), then each provider's offline checks.
 * Every problem of a file is reported at once, as `keys.yaml:LINE:COL: path: message`.
 * No network, no console output. This file is the layer's public surface.
 */
export { checkConfigText, loadConfig, parseConfigText } from './load.js';
export type { CheckOptions, CheckResult, LoadOptions } from './load.js';
export { CONFIG_CODES } from './codes.js';
export { buildKeysSchema } from './schema-build.js';
