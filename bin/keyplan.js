#!/usr/bin/env node
// CommonJS, as bin/package.json says, like the bundle it loads: starting Node's ES module
// loader for this one file cost some 20 ms of every command (`npm run bench`). The path
// stays bin/keyplan.js, which npx's cache of an existing clone links to.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

// A keyplan command runs for about a second: V8's optimising compiler (TurboFan), busy on a
// background thread, cost more CPU than its code saved (a no-change plan of 2,000 keys: a
// fifth less CPU without it; `npm run bench`). The baseline compiler stays. The emulators'
// server (`keyplan sandbox serve`) runs for long, so it keeps every tier.
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const longRunning = command === 'sandbox';
if (!longRunning) v8.setFlagsFromString('--max-opt=1');

// The compiled CLI lives in dist/bundle/: a packed tarball ships it, a clone or a git install
// builds it in the prepare script. Without it, say so in one line rather than with a module stack.
const bundle = path.join(__dirname, '..', 'dist', 'bundle');
if (!existsSync(path.join(bundle, 'keyplan.cjs'))) {
  process.stderr.write(
    'keyplan: not built (dist/ is missing). In a clone run `npm run build`; when installed from git, ' +
      'allow its prepare script (`npm install-scripts approve keyplan`) and reinstall, or install a packed tarball.\n',
  );
  process.exit(1);
}
// V8's code cache of the bundle (src/cli/compile-cache.ts), in dist/compile-cache beside it:
// KEYPLAN_COMPILE_CACHE=0 turns it off.
if (process.env.KEYPLAN_COMPILE_CACHE !== '0') {
  const { enableCompileCache } = require(path.join(bundle, 'compile-cache.cjs'));
  const commandName = /^[a-z][a-z-]{0,30}$/.test(command ?? '') ? command : 'other';
  enableCompileCache(bundle, path.join(bundle, '..', 'compile-cache'), `${commandName}-${longRunning ? 'full' : 'baseline'}`);
}
// run() sets process.exitCode; a rejection it lets through is a bug, and ends the process
// with its stack, as an uncaught error does.
void require(path.join(bundle, 'keyplan.cjs')).run();
