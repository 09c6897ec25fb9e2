// Orphans go to the nearest subreaper, or to PID 1.
import type { Logger } from '../log/logger.ts';
import type { NativeAddon } from '../native/addon.ts';

// When vigil is not PID 1 (docker run --init=false with another init, a shell,
// a test), orphans go to the nearest subreaper: make that vigil.
export function registerSubreaper(addon: Pick<NativeAddon, 'setChildSubreaper'>, logger: Logger): void {
  if (process.pid === 1) return;
  try {
    addon.setChildSubreaper();
    logger.debug('not PID 1: registered as child subreaper, orphans will be reaped');
  } catch (error) {
    logger.warn({ err: error }, 'not PID 1 and cannot become a child subreaper: orphans will not be reaped');
  }
}
