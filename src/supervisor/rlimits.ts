// supervisord's minfds/minprocs: raise the soft limits (up to the hard limit)
// so programs inherit enough file descriptors and processes.
import type { ResolvedConfig } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import type { NativeAddon } from '../native/addon.ts';

export function applyRlimits(addon: NativeAddon, config: ResolvedConfig, logger: Logger): void {
  const wanted = { nofile: config.supervisord.minfds, nproc: config.supervisord.minprocs } as const;
  for (const resource of ['nofile', 'nproc'] as const) {
    try {
      const [soft, hard] = addon.getrlimit(resource);
      const want = wanted[resource];
      if (soft === -1 || soft >= want) continue;
      // -1 is RLIM_INFINITY; a hard limit below what is wanted caps the raise.
      const target = hard === -1 ? want : Math.min(want, hard);
      addon.setrlimit(resource, target, hard);
      if (target < want) {
        logger.warn(`${resource === 'nofile' ? 'minfds' : 'minprocs'}=${want} is above the hard limit ${hard}; raised the soft limit to ${target}`);
      }
    } catch (error) {
      logger.warn({ err: error }, `cannot raise the ${resource} limit`);
    }
  }
}
