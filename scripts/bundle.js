// Bundles the compiled CLI (dist/cli/main.js and what it imports) into dist/bundle/: one
// entry file and a chunk per lazily imported part. Loading some 230 small ES modules cost a
// no-change plan about 200 ms of CPU on a 2-core machine (resolving, reading and linking each
// one); a few large ones cost a fraction of that. npm packages and node: built-ins stay
// imports, resolved from node_modules as before. Run by `npm run build`, after
// generate-schema.js, whose standalone validators are copied next to the chunks that load them.
import { copyFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const OUT = dist('bundle');
/** Files the bundled code reads beside itself (createRequire of `./name`). */
const ASSETS = ['config/keys-validator.cjs', 'state/state-validator.cjs'];

rmSync(OUT, { recursive: true, force: true });
const bundle = await rolldown({
  input: dist('cli/main.js'),
  platform: 'node',
  // Only the project's own modules are bundled: anything not a relative or absolute path is a
  // package or a built-in.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  logLevel: 'warn',
});
await bundle.write({ dir: OUT, format: 'esm', entryFileNames: 'keyplan.js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();
for (const asset of ASSETS) copyFileSync(dist(asset), `${OUT}/${asset.split('/').pop()}`);
