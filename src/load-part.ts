// Loads one of the parts of vigil that the bundle embeds: `daemon`
// (src/daemon-main.ts: check, the supervisor) or `init`
// (src/init-main.ts: init mode alone).
//
// In the bundle, scripts/build.mjs appends each part, bundled on its own, as
// the body of a comment in a function (`__vigilDaemon`, `__vigilInit`): V8
// skips a comment at the speed of a memchr, and the function's source text
// gives the code back without a copy (V8 slices the script's source). It is
// compiled here as a CommonJS module body. Under tsx (tests, development)
// there is no bundle: the module is imported as usual.
import { compileFunction } from 'node:vm';
import type * as DaemonMain from './daemon-main.ts';

export type Part = 'daemon' | 'init';
type PartModule = Pick<typeof DaemonMain, 'runMain'>;

// Set by the build: true in dist/vigil.js, where the functions below exist.
declare const __VIGIL_SPLIT__: boolean | undefined;
declare function __vigilDaemon(): void;
declare function __vigilInit(): void;
declare function __vigilAddon(): void;

// The text between `/*<vigil-TAG>` and `</vigil-TAG>*/` in fn's source: a
// slice of the script's source, not a copy.
function embedded(fn: () => void, tag: string): string {
  const text = fn.toString();
  const open = `/*<vigil-${tag}>`;
  return text.slice(text.indexOf(open) + open.length, text.lastIndexOf(`</vigil-${tag}>*/`));
}

export async function loadPart(part: Part): Promise<PartModule> {
  if (typeof __VIGIL_SPLIT__ === 'undefined' || !__VIGIL_SPLIT__) {
    return part === 'daemon' ? import('./daemon-main.ts') : import('./init-main.ts');
  }
  // What the build's footer wraps each part in (scripts/build.mjs).
  const code = embedded(part === 'daemon' ? __vigilDaemon : __vigilInit, part);
  const module = { exports: {} as PartModule };
  // The filename is what stack traces show for the part's frames. The
  // addon's base64 is the part's __VIGIL_ADDON__ (src/native/addon.ts).
  const body = compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname', '__vigilAddonBase64'], {
    filename: `${__filename} (${part})`,
  });
  body.call(module.exports, module.exports, require, module, __filename, __dirname, embedded(__vigilAddon, 'addon'));
  return module.exports;
}
