// Loads the daemon part of vigil (src/daemon-main.ts and all it imports).
//
// In the bundle, scripts/build.mjs appends the daemon part, bundled on its
// own, as the body of a comment in a function, `__vigilDaemon`: V8 skips a
// comment at the speed of a memchr, and the function's source text gives it
// back without a copy (V8 slices the script's source). It is compiled here
// as a CommonJS module body. Under tsx (tests, development) there is no
// bundle: the module is imported as usual.
import { compileFunction } from 'node:vm';
import type * as DaemonMain from './daemon-main.ts';

// Set by the build: true in dist/vigil.js, where __vigilDaemon exists.
declare const __VIGIL_SPLIT__: boolean | undefined;
declare function __vigilDaemon(): void;

// What the build's footer wraps the daemon's code in.
const OPEN = '/*<vigil-daemon>';
const CLOSE = '</vigil-daemon>*/';

export async function loadDaemon(): Promise<typeof DaemonMain> {
  if (typeof __VIGIL_SPLIT__ === 'undefined' || !__VIGIL_SPLIT__) return import('./daemon-main.ts');
  const text = __vigilDaemon.toString();
  const code = text.slice(text.indexOf(OPEN) + OPEN.length, text.lastIndexOf(CLOSE));
  const module = { exports: {} as typeof DaemonMain };
  // The name stack traces show for the daemon's frames.
  const body = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: `${__filename} (daemon)` });
  body.call(module.exports, module.exports, require, module, __filename, __dirname);
  return module.exports;
}
