// The version baked in by the bundler (scripts/build.mjs), or a dev marker.
declare const __VIGIL_VERSION__: string | undefined;
export const VERSION = typeof __VIGIL_VERSION__ === 'string' ? __VIGIL_VERSION__ : '0.0.0-dev';
