// `prepare` builds dist/ where npm gives no other chance to: `npm ci` in a clone and installs
// from git (npm installs a git dependency's devDependencies, runs its prepare, then packs it).
// `npm pack` and `npm publish` run prepack first, which already built dist/: skip the second build.
import { execSync } from 'node:child_process';

if (!['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  execSync('npm run build', { stdio: 'inherit' });
}
