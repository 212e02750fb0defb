// @ts-check
/**
 * Lint rules of keyplan: typescript-eslint's recommended set, no `any`, no default exports,
 * no `console` outside cli/ and render/, and the layer rules of the style guide
 * (dependencies point downward only: cli → engine → plan/apply/refresh/config/render →
 * providers/state/outputs/report → log → model/errors/fs).
 *
 * The layer rules match import specifiers, not resolved paths (no plugin resolves them
 * here), so each pattern is a regular expression over the relative specifier: from
 * `src/plan/x.ts`, `../providers/oci/adapter.js` names a provider's folder. Dynamic
 * `import()` is not checked, which is what lets a provider's sandbox starter load its
 * emulator lazily. Tests are exempt: they may wire any layers together.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * A specifier's way up to src/: one step or more from a folder, none from a file at the
 * top of src/ (engine.ts). A layer's targets are matched after it.
 */
const UP = String.raw`^(?:\.\./)+`;
const HERE = String.raw`^\./`;

/**
 * The forbidden targets, by name. Each is a pattern of `@typescript-eslint/no-restricted-imports`
 * without its leading way up (see {@link UP}).
 * @type {Record<string, { regex: string, message: string, allowTypeImports?: boolean }>}
 */
const TARGETS = {
  cli: { regex: String.raw`cli(?:/|\.js$)`, message: 'only cli/ imports cli/ (it is the top layer).' },
  engine: { regex: String.raw`engine(?:[-./]|$)`, message: 'only cli/ imports the engine.' },
  config: { regex: String.raw`config/`, message: 'config/ sits above this layer; pass what is needed in as data.' },
  plan: { regex: String.raw`plan/`, message: 'plan/ sits above this layer.' },
  apply: { regex: String.raw`apply/`, message: 'apply/ sits above this layer.' },
  refresh: { regex: String.raw`refresh/`, message: 'refresh/ sits above this layer.' },
  render: { regex: String.raw`render/`, message: 'render/ is only for cli/.' },
  report: { regex: String.raw`report/`, message: 'report/ sits above this layer.' },
  state: { regex: String.raw`state/`, message: 'state/ sits above this layer (or beside it).' },
  outputs: { regex: String.raw`outputs/`, message: 'outputs/ sits beside or above this layer.' },
  log: { regex: String.raw`log/`, message: 'log/ sits above this layer.' },
  providers: { regex: String.raw`providers/`, message: 'providers/ sits above this layer.' },
  providerTypes: {
    regex: String.raw`providers/[^/]+\.js$`,
    allowTypeImports: true,
    message: 'only types of providers/ (contract, module, registry) may be imported here; the planner is pure and loads no adapter.',
  },
  providerFolders: {
    regex: String.raw`providers/[^/]+/`,
    message: "a provider's folder (its adapter, SDK and HTTP code) is only imported through the registry.",
  },
  emulators: {
    regex: String.raw`emulators/`,
    message: 'emulators are imported only by emulators/, tests, provider sandbox starters and cli/commands/sandbox.',
  },
  emulatorServers: {
    regex: String.raw`emulators/(?!sandbox\.js$)`,
    message: 'the engine starts emulators only through the sandbox launcher (emulators/sandbox.ts), which asks the provider modules.',
  },
  errorValues: { regex: String.raw`errors/`, allowTypeImports: true, message: 'model/ may import only types of errors/.' },
};

/**
 * What each layer must not import. Everything not listed is allowed (its own folder, and
 * the layers below it).
 * @type {ReadonlyArray<{ files: string[], ignores?: string[], top?: boolean, forbid: (keyof typeof TARGETS)[] }>}
 */
const LAYERS = [
  { files: ['src/cli/**'], ignores: ['src/cli/commands/sandbox*.ts'], forbid: ['emulators'] },
  { files: ['src/engine.ts', 'src/engine-*.ts'], top: true, forbid: ['cli', 'emulatorServers'] },
  { files: ['src/engine/**'], forbid: ['cli', 'emulatorServers'] },
  {
    files: ['src/plan/**'],
    forbid: ['cli', 'engine', 'config', 'apply', 'refresh', 'render', 'report', 'providerFolders', 'providerTypes', 'emulators'],
  },
  { files: ['src/apply/**'], forbid: ['cli', 'engine', 'config', 'render', 'providerFolders', 'emulators'] },
  { files: ['src/refresh/**'], forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'render', 'outputs', 'providerFolders', 'emulators'] },
  // status/ is pure like plan/: it reads state, declarations and kind metadata, never a provider.
  { files: ['src/status/**'], forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'outputs', 'providerFolders', 'emulators'] },
  {
    files: ['src/config/**'],
    forbid: ['cli', 'engine', 'plan', 'apply', 'refresh', 'render', 'report', 'state', 'outputs', 'providerFolders', 'emulators'],
  },
  {
    files: ['src/render/**'],
    forbid: ['cli', 'engine', 'config', 'apply', 'refresh', 'state', 'outputs', 'providerFolders', 'emulators'],
  },
  {
    // A provider's folder holds its kinds' secret sinks, built on outputs/' shared writers.
    files: ['src/providers/**'],
    ignores: ['src/providers/*/**/sandbox*.ts'],
    forbid: ['cli', 'engine', 'plan', 'apply', 'refresh', 'render', 'state', 'emulators'],
  },
  {
    files: ['src/providers/*/**/sandbox*.ts'],
    forbid: ['cli', 'engine', 'plan', 'apply', 'refresh', 'render', 'state'],
  },
  {
    files: ['src/state/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'outputs', 'providerFolders', 'emulators'],
  },
  {
    files: ['src/outputs/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'state', 'providerFolders', 'emulators'],
  },
  {
    files: ['src/report/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'state', 'outputs', 'providers', 'emulators'],
  },
  {
    files: ['src/log/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'report', 'state', 'outputs', 'providers', 'emulators'],
  },
  {
    files: ['src/errors/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'report', 'state', 'outputs', 'log', 'providers', 'emulators'],
  },
  {
    files: ['src/fs/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'report', 'state', 'outputs', 'log', 'providers', 'emulators'],
  },
  {
    files: ['src/model/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'report', 'state', 'outputs', 'log', 'providers', 'emulators', 'errorValues'],
  },
  {
    files: ['src/emulators/**'],
    forbid: ['cli', 'engine', 'config', 'plan', 'apply', 'refresh', 'render', 'report', 'state', 'outputs'],
  },
];

/** Test files wire any layers together; the layer rules do not apply to them. */
const TESTS = ['**/*.test.ts', 'test/**'];

export default defineConfig(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The CLI's entry is CommonJS (bin/package.json), as the bundle it loads; so is the
    // bench's preload into it.
    files: ['bin/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'use named exports only (style guide).' }],
    },
  },
  {
    // User-facing text goes through the Reporter; only the views print.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/render/**', ...TESTS],
    rules: { 'no-console': 'error' },
  },
  ...LAYERS.map(({ files, ignores = [], top = false, forbid }) => ({
    files,
    ignores: [...ignores, ...TESTS],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: forbid.map((name) => {
            const { regex, message, allowTypeImports } = TARGETS[name];
            return { regex: `${top ? HERE : UP}${regex}`, message: `Layer rule: ${message}`, ...(allowTypeImports ? { allowTypeImports } : {}) };
          }),
        },
      ],
    },
  })),
);
