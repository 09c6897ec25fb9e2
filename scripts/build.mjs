#!/usr/bin/env node
// Bundles src/ into one executable file, dist/vigil.js, with the compiled
// native addon embedded as base64 (src/native/addon.ts writes it to a private
// file at start and dlopens it).
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = join(root, 'native/build/Release/vigil_native.node');
if (!existsSync(addonPath)) {
  console.error(`build: ${addonPath} is missing; run "npm run build:addon" first`);
  process.exit(1);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist/vigil.js');

await build({
  entryPoints: [join(root, 'src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  // Less to parse at every start: `vigil ctl status` runs in health checks and
  // compiling the bundle was its largest cost after Node's own start.
  // keepNames: functions and classes keep their names (stack traces, and error
  // classes name themselves with new.target.name).
  minifyWhitespace: true,
  minifyIdentifiers: true,
  keepNames: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  define: {
    __VIGIL_ADDON__: JSON.stringify(readFileSync(addonPath).toString('base64')),
    __VIGIL_VERSION__: JSON.stringify(pkg.version),
  },
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`build: wrote ${outfile}`);
