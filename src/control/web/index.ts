// The web page's face of the control server: the page's files and its push
// stream. Its actions use the same JSON endpoints as `vigil ctl`.
import type { Route } from '../routes/context.ts';
import { pageRoute, scriptRoute, styleRoute } from './assets.ts';
import { events } from './events.ts';

export const WEB_ROUTES: ReadonlyArray<readonly [string, Route]> = [
  ['/', pageRoute],
  ['/index.html', pageRoute],
  ['/app.js', scriptRoute],
  ['/app.css', styleRoute],
  ['/events', events],
];
