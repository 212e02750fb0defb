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
if (!longRunning) withoutOptimisingTier();

/**
 * Turns TurboFan off, but loads Node's builtin modules under V8's default flags. Each builtin
 * comes with a code cache made under those flags, and V8 refuses a cache made under others:
 * every builtin loaded after the switch was compiled again from its source (a no-change
 * plan of 2,000 keys: some 17 ms of CPU, in paired runs). So a builtin's first require
 * switches back for the time it loads. `--max-opt=1` also turns `--turbofan` off, which the
 * way back turns on again. test/e2e/builtin-code-cache.test.ts checks that none is missed.
 */
function withoutOptimisingTier() {
  const BASELINE = '--max-opt=1 --no-turbofan';
  const DEFAULTS = '--max-opt=999 --turbofan';
  // Builtins that Node loads on first use rather than by require, and every command uses:
  // its output streams (a pipe's needs node:net) and the argument parser.
  void process.stdout;
  void process.stderr;
  void require('node:util').parseArgs;
  const Module = require('node:module');
  const load = Module._load;
  const loaded = new Set(['fs', 'path', 'v8', 'util', 'module']);
  Module._load = function loadBuiltinWithItsCache(request, ...rest) {
    const id = request.startsWith('node:') ? request.slice(5) : request;
    if (loaded.has(id) || !Module.isBuiltin(request)) return load.call(this, request, ...rest);
    v8.setFlagsFromString(DEFAULTS);
    try {
      return load.call(this, request, ...rest);
    } finally {
      loaded.add(id);
      v8.setFlagsFromString(BASELINE);
    }
  };
  v8.setFlagsFromString(BASELINE);
}

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
