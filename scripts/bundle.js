// Bundles the compiled CLI (dist/cli/main.js and what it imports) into dist/bundle/: one
// entry file and a chunk per lazily imported part, as CommonJS, plus compile-cache.cjs, which
// bin/keyplan.js loads first. Loading some 230 small ES modules cost a no-change plan about
// 200 ms of CPU on a 2-core machine (resolving, reading and linking each one); a few large
// ones cost a fraction of that. CommonJS because Node 20 can give V8 a code cache only for
// code it compiles as a script (src/cli/compile-cache.ts). npm packages and node: built-ins
// stay requires, resolved from node_modules as before, except p-queue and what it imports:
// p-queue is published as ES modules only, which Node 20 requires only from 20.19.
// Run by `npm run build`, after generate-schema.js, whose standalone validators are copied
// next to the chunks that load them.
import { copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const OUT = dist('bundle');
/** Files the bundled code reads beside itself (createRequire of `./name`). */
const ASSETS = ['config/keys-validator.cjs', 'config/keys-validator-fast.cjs', 'state/state-validator.cjs'];
/** Packages bundled in rather than required: ES modules only (and what they import). */
const BUNDLED_PACKAGES = new Set(['p-queue', 'eventemitter3', 'p-timeout']);

rmSync(OUT, { recursive: true, force: true });
const bundle = await rolldown({
  input: { keyplan: dist('cli/main.js'), 'compile-cache': dist('cli/compile-cache.js') },
  platform: 'node',
  // Only the project's own modules (relative or absolute paths) and the packages above are
  // bundled: anything else is a package or a built-in.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !BUNDLED_PACKAGES.has(id),
  logLevel: 'warn',
});
await bundle.write({ dir: OUT, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' });
await bundle.close();
for (const asset of ASSETS) copyFileSync(dist(asset), `${OUT}/${asset.split('/').pop()}`);
