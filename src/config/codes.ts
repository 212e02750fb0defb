/**
 * Stable diagnostic codes of the config layer (`KP_CONFIG_Ennnn`). Scripts and the JSON
 * output match on these, so a code never changes meaning once released.
 */

/** Every code a config diagnostic or ConfigError can carry. */
export const CONFIG_CODES = {
  /** Summary error carrying all diagnostics of a file ("keys.yaml has 3 problems"). */
  invalid: 'KP_CONFIG_E0001',
  /** The config file cannot be read (not found, a folder, no permission). */
  unreadable: 'KP_CONFIG_E0002',
  /** YAML syntax error. */
  yamlSyntax: 'KP_CONFIG_E0100',
  /** A provider block's type has no adapter in this build. */
  unsupportedProviderType: 'KP_CONFIG_E0101',
  /** A YAML tag keyplan does not resolve (`!!python/object`, `!foo`); it would otherwise be dropped silently. */
  yamlUnknownTag: 'KP_CONFIG_E0110',
  /** Lists and mappings nested deeper than keyplan reads (a stack overflow otherwise). */
  yamlTooDeep: 'KP_CONFIG_E0111',
  /** Schema: a field the schema does not define (usually a typo). */
  unknownField: 'KP_CONFIG_E0200',
  /** Schema: a required field is missing. */
  missingField: 'KP_CONFIG_E0201',
  /** Schema: a value of the wrong type. */
  wrongType: 'KP_CONFIG_E0202',
  /** Schema: a value outside the allowed set (enum, const). */
  notAllowed: 'KP_CONFIG_E0203',
  /** Schema: a value of the right type in the wrong form (pattern, length). */
  badFormat: 'KP_CONFIG_E0204',
  /** Schema: the same entry twice in a list that must not repeat. */
  duplicateEntry: 'KP_CONFIG_E0205',
  /** Schema: any other schema violation. */
  schemaOther: 'KP_CONFIG_E0206',
  /** Two keys with the same name. */
  duplicateName: 'KP_CONFIG_E0300',
  /** A key names a provider block that is not defined. */
  unknownProvider: 'KP_CONFIG_E0301',
  /** A kind keyplan does not know. */
  unknownKind: 'KP_CONFIG_E0302',
  /** The key's kind needs another provider type than its provider block has. */
  providerTypeMismatch: 'KP_CONFIG_E0303',
  /** depends_on names a key that does not exist. */
  unknownDependency: 'KP_CONFIG_E0304',
  /** A key depends on itself. */
  selfDependency: 'KP_CONFIG_E0305',
  /** depends_on forms a cycle. */
  dependencyCycle: 'KP_CONFIG_E0306',
  /** A duration that does not parse. */
  badDuration: 'KP_CONFIG_E0307',
  /** rotation.overlap is not shorter than rotation.max_age. */
  overlapTooLong: 'KP_CONFIG_E0308',
  /** Two outputs write the same file (or the same profile of a shared config file). */
  outputConflict: 'KP_CONFIG_E0309',
  /** An output that points at the key's file output (a profile's key_file), without one in the same key. */
  outputNeedsFile: 'KP_CONFIG_E0310',
  /** A referenced environment variable is not set or empty. */
  missingEnv: 'KP_CONFIG_E0311',
  // KP_CONFIG_E0320 (two keys with one alias on one cluster) moved with its check into
  // the provider that owns the kind, under that provider's code; it gets no new meaning.
  /** rotation.before_expiry is not shorter than the key's lifetime, so every apply would rotate. */
  beforeExpiryTooLong: 'KP_CONFIG_E0312',
  /** rotation.deactivate_for on a kind whose keys cannot be deactivated (KindSpec.canDeactivate). */
  cannotDeactivate: 'KP_CONFIG_E0316',
  /** rotation.verify_timeout of zero: no verification attempt could wait for a key to propagate. */
  verifyTimeoutZero: 'KP_CONFIG_E0317',
  /** More keys declared for one owner than its provider's quota allows (e.g. a 4th key where 3 per user are allowed). */
  quotaExceeded: 'KP_CONFIG_E0318',
  /**
   * The state records keys of a provider block the config no longer defines (E0400 and up:
   * the config checked against the state). Was KP_CONFIG_E0100, which means a YAML error.
   */
  providerRemoved: 'KP_CONFIG_E0400',
  /** A file path (an output's, the state's) with a NUL byte, which no file system accepts. */
  nulInPath: 'KP_CONFIG_E0330',
} as const;
