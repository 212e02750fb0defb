#!/usr/bin/env node
// The compiled CLI lives in dist/: a packed tarball ships it, a clone or a git install builds
// it in the prepare script. Without it, say so in one line rather than with a module stack.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'keyplan: not built (dist/ is missing). In a clone run `npm run build`; when installed from git, ' +
      'allow its prepare script (`npm install-scripts approve keyplan`) and reinstall, or install a packed tarball.\n',
  );
  process.exit(1);
}
const { run } = await import(main.href);
await run();
