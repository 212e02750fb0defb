#!/usr/bin/env node
// The compiled CLI lives in dist/bundle/: a packed tarball ships it, a clone or a git install
// builds it in the prepare script. Without it, say so in one line rather than with a module stack.
import { existsSync } from 'node:fs';
import v8 from 'node:v8';

// A keyplan command runs for about a second: V8's optimising compiler (TurboFan), busy on a
// background thread, cost more CPU than its code saved (a no-change plan of 2,000 keys: a
// fifth less CPU without it; `npm run bench`). The baseline compiler stays. The emulators'
// server (`keyplan sandbox serve`) runs for long, so it keeps every tier.
const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
if (command !== 'sandbox') v8.setFlagsFromString('--max-opt=1');

const main = new URL('../dist/bundle/keyplan.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'keyplan: not built (dist/ is missing). In a clone run `npm run build`; when installed from git, ' +
      'allow its prepare script (`npm install-scripts approve keyplan`) and reinstall, or install a packed tarball.\n',
  );
  process.exit(1);
}
const { run } = await import(main.href);
await run();
