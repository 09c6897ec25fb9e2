#!/usr/bin/env node
// Builds dist/vigil-linux-x64: a Node single-executable application (SEA) of
// dist/vigil.js, for images that have no Node. The bundle is CommonJS and
// carries the native addon as base64 (written to a private file and dlopened
// at start, src/native/addon.ts), so SEA needs nothing beyond the main script:
// no assets, no require() of files on disk.
//
// Steps (https://nodejs.org/docs/latest-v20.x/api/single-executable-applications.html):
// blob from sea-config.json -> copy of this node -> strip -> postject -> check.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/vigil.js');
const output = join(root, 'dist/vigil-linux-x64');
const work = join(root, 'dist/.sea');
// The fuse postject flips so that node looks for the injected blob
// (the value node's docs give for every Node version with SEA).
const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) fail(`Node ${process.version} has no single-executable support; use Node 20 or later`);
if (process.platform !== 'linux' || process.arch !== 'x64') {
  fail(`this builds ${output} for linux-x64, not ${process.platform}-${process.arch}`);
}
if (!existsSync(bundle)) fail(`${bundle} is missing; run "npm run build" first`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const blob = join(work, 'vigil.blob');
const seaConfig = join(work, 'sea-config.json');
writeFileSync(
  seaConfig,
  JSON.stringify(
    {
      main: bundle, // its `#!` line is fine: Node 20's SEA loader strips it
      output: blob,
      disableExperimentalSEAWarning: true,
      // V8's code cache for the main script was measured on this build:
      // `vigil -- true` took 90.5 ms user CPU with it and 92.0 ms without
      // (100 runs each), within noise, for 21 KB more; V8 compiles the
      // bundle lazily, so there is little to cache. Left off.
      useCodeCache: false,
    },
    null,
    2,
  ),
);
step('blob', () => run(process.execPath, ['--experimental-sea-config', seaConfig]));

const binary = join(work, 'vigil-linux-x64');
copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
const sizeUnstripped = statSync(binary).size;
// Debian's and NodeSource's node keep symbols (and the latter debug info);
// none of it is needed at run time. Strip before injecting: stripping after
// would drop the injected note/section.
const stripped = step('strip', () => {
  const result = spawnSync('strip', ['--strip-all', binary], { stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    console.warn(`build-sea: strip unavailable or failed (${result.error?.message ?? `exit ${result.status}`}); keeping symbols`);
    return false;
  }
  return true;
});
if (stripped) {
  const check = spawnSync(binary, ['-e', 'process.stdout.write(process.version)'], { encoding: 'utf8' });
  if (check.status !== 0 || check.stdout !== process.version) fail(`stripped node does not run: ${check.stderr}`);
}
const sizeStripped = statSync(binary).size;

const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
step('postject', () =>
  run(process.execPath, [postject, binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', seaFuse], { quiet: true }),
);

// The result must start and know its version with nothing but itself.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = spawnSync(binary, ['--version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
if (version.status !== 0 || !version.stdout.includes(pkg.version)) {
  fail(`${binary} --version did not print ${pkg.version} (exit ${version.status}): ${version.stdout}${version.stderr}`);
}

renameSync(binary, output);
rmSync(work, { recursive: true, force: true });
const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
console.log(
  `build-sea: wrote ${output} (${mib(statSync(output).size)}; node ${mib(sizeUnstripped)}` +
    `${stripped ? `, stripped ${mib(sizeStripped)}` : ', not stripped'})`,
);

function step(name, fn) {
  const started = process.hrtime.bigint();
  const result = fn();
  if (process.env.VIGIL_BUILD_VERBOSE) {
    console.log(`build-sea: ${name} ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
  }
  return result;
}

function run(file, args, { quiet = false } = {}) {
  const result = spawnSync(file, args, { cwd: work, encoding: 'utf8' });
  if (result.error) fail(`${file} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) fail(`${file} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  if (!quiet && result.stdout.trim()) console.log(result.stdout.trim());
  return result;
}

function fail(message) {
  console.error(`build-sea: ${message}`);
  process.exit(1);
}
