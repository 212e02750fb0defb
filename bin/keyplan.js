#!/usr/bin/env node
// The compiled CLI lives in dist/bundle/: a packed tarball ships it, a clone or a git install
// builds it in the prepare script. Without it, say so in one line rather than with a module stack.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

// A keyplan command runs for about a second: V8's optimising compiler (TurboFan), busy on a
// background thread, cost more CPU than its code saved (a no-change plan of 2,000 keys: a
// fifth less CPU without it; `npm run bench`). The baseline compiler stays. The emulators'
// server (`keyplan sandbox serve`) runs for long, so it keeps every tier.
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const longRunning = command === 'sandbox';
if (!longRunning) v8.setFlagsFromString('--max-opt=1');

const bundle = fileURLToPath(new URL('../dist/bundle', import.meta.url));
if (!existsSync(path.join(bundle, 'keyplan.cjs'))) {
  process.stderr.write(
    'keyplan: not built (dist/ is missing). In a clone run `npm run build`; when installed from git, ' +
      'allow its prepare script (`npm install-scripts approve keyplan`) and reinstall, or install a packed tarball.\n',
  );
  process.exit(1);
}
const require = createRequire(import.meta.url);
// V8's code cache of the bundle (src/cli/compile-cache.ts), in dist/compile-cache beside it:
// KEYPLAN_COMPILE_CACHE=0 turns it off.
if (process.env.KEYPLAN_COMPILE_CACHE !== '0') {
  const { enableCompileCache } = require(path.join(bundle, 'compile-cache.cjs'));
  const commandName = /^[a-z][a-z-]{0,30}$/.test(command ?? '') ? command : 'other';
  enableCompileCache(bundle, path.join(bundle, '..', 'compile-cache'), `${commandName}-${longRunning ? 'full' : 'baseline'}`);
}
const { run } = require(path.join(bundle, 'keyplan.cjs'));
await run();
