// The endpoint table: path -> method + handler. One handler per command.
import { clear, restart, signal, start, stop } from './actions.ts';
import { reload, rereadRoute, shutdown, update } from './config.ts';
import { avail, pid, status, version } from './info.ts';
import { add, maintail, remove, stdin } from './extras.ts';
import { tail } from './tail.ts';
import { healthz } from './healthz.ts';
import { metrics } from './metrics.ts';
import { readyz } from './readyz.ts';
import type { Route } from './context.ts';
import { WEB_ROUTES } from '../web/index.ts';

export const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/version', version],
  ['/status', status],
  ['/pid', pid],
  ['/avail', avail],
  ['/tail', tail],
  ['/start', start],
  ['/stop', stop],
  ['/restart', restart],
  ['/signal', signal],
  ['/clear', clear],
  ['/reread', rereadRoute],
  ['/update', update],
  ['/reload', reload],
  ['/shutdown', shutdown],
  ['/healthz', healthz],
  ['/readyz', readyz],
  ['/metrics', metrics],
  ['/add', add],
  ['/remove', remove],
  ['/stdin', stdin],
  ['/maintail', maintail],
  ...WEB_ROUTES,
]);
