import type { Logger } from './logger.ts';

// PID 1 must never die of a bug: an unexpected exception is logged and contained.
export function containCrashes(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    logger.error({ err: error }, 'unexpected error (contained; please report it)');
  });
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled rejection (contained; please report it)');
  });
}
