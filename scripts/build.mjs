#!/usr/bin/env node
// Bundles src/ into one executable file, dist/vigil.js, with the compiled
// native addon embedded as base64 (src/native/addon.ts writes it to a private
// file at start and dlopens it) and the daemon and init parts, each in a
// comment (src/main.ts, src/load-part.ts).
import { build, transform } from 'esbuild';
import { commentSafe } from './comment-safe.mjs';
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
// --readable: identifiers and syntax not minified, for profiles whose frames
// name the functions (node --cpu-prof dist/vigil.js ...); never shipped.
const readable = process.argv.includes('--readable');
const outfile = join(root, 'dist/vigil.js');
const web = await buildWebPage();

// Three bundles in one file (src/main.ts says why): the daemon part
// (src/daemon-main.ts: check, the supervisor), the init part
// (src/init-main.ts: init mode alone), then the entry with `ctl`, which
// carries each part as the body of a comment in a function that
// src/load-part.ts compiles on demand.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: !readable,
  // Less to parse at every start. keepNames: functions and classes keep their
  // names (stack traces, and error classes name themselves with new.target.name).
  // Whitespace goes even with --readable: it takes the comments with it
  // (esbuild's /* @__PURE__ */ would end the daemon's comment early).
  minifyWhitespace: true,
  minifyIdentifiers: !readable,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};
// Each embedded part, bundled on its own, made safe for a comment. Both
// parts load the addon; its base64 is embedded once, in a comment of its own
// (base64 has no '*'), and src/load-part.ts hands it to the part that runs
// as `__vigilAddonBase64`: a copy per part was 43 KB more source that V8
// keeps for the life of every vigil process.
const defines = {
  __VIGIL_ADDON__: '__vigilAddonBase64',
  __VIGIL_VERSION__: JSON.stringify(pkg.version),
  __VIGIL_WEB__: JSON.stringify(web),
};
// `__vigilTag`, a function whose body is a comment holding `text`; what
// src/load-part.ts's embedded() reads back.
const embed = (tag, text) => `function __vigil${tag[0].toUpperCase()}${tag.slice(1)}(){/*<vigil-${tag}>${text}</vigil-${tag}>*/}`;
const parts = { daemon: 'src/daemon-main.ts', init: 'src/init-main.ts' };
let footer = '';
for (const [part, entry] of Object.entries(parts)) {
  const bundle = await build({ ...common, entryPoints: [join(root, entry)], write: false, define: defines });
  footer += embed(part, commentSafe(bundle.outputFiles[0].text));
}
footer += embed('addon', readFileSync(addonPath).toString('base64'));
await build({
  ...common,
  entryPoints: [join(root, 'src/main.ts')],
  outfile,
  banner: { js: '#!/usr/bin/env node' },
  footer: { js: footer },
  define: {
    __VIGIL_SPLIT__: 'true',
    __VIGIL_VERSION__: JSON.stringify(pkg.version),
  },
});
chmodSync(outfile, 0o755);
console.log(`build: wrote ${outfile}`);

// The web page (src/web): its script bundled for browsers, its stylesheet
// minified, embedded as strings that src/control/web/assets.ts serves.
async function buildWebPage() {
  const dir = join(root, 'src/web');
  const script = await build({
    entryPoints: [join(dir, 'main.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const css = await transform(readFileSync(join(dir, 'style.css'), 'utf8'), { loader: 'css', minify: true });
  const page = {
    html: readFileSync(join(dir, 'index.html'), 'utf8').replace(/\n\s*/g, '\n'),
    js: script.outputFiles[0].text,
    css: css.code,
  };
  // The budget: the whole page under 60 KiB uncompressed.
  const bytes = Object.values(page).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  if (bytes > 60 * 1024) throw new Error(`build: the web page is ${bytes} bytes, over its 60 KiB budget`);
  return page;
}
