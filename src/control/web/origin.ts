// Cross-site request checks for the control server, pure functions over the
// request's headers. The web page lives on the control server itself, so a
// browser that POSTs with an Origin other than the server's own is another
// site's page riding on the user's session (CSRF); `vigil ctl` and curl send
// no Origin and are unaffected.
import { isIP } from 'node:net';

export interface RequestHeaders {
  origin?: string | undefined;
  host?: string | undefined;
  'x-forwarded-host'?: string | string[] | undefined;
  'sec-fetch-site'?: string | undefined;
}

// True when a state-changing request may proceed: no Origin (not a browser,
// or a same-origin navigation of an old one), or an Origin whose host:port is
// the Host the request was sent to. `Origin: null` (sandboxed frames, file://
// pages, some redirects) is refused: its source cannot be known.
export function isSameOriginRequest(headers: RequestHeaders): boolean {
  // Sec-Fetch-Site is set by the browser and cannot be forged by a page.
  if (headers['sec-fetch-site'] === 'cross-site' || headers['sec-fetch-site'] === 'same-site') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (headers.host === undefined) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes 'null'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const originHost = parsed.host.toLowerCase();
  if (originHost === normalizeHost(headers.host, parsed.protocol)) return true;
  // Behind a reverse proxy that rewrites Host (nginx's default), the host the
  // browser used is in X-Forwarded-Host. A page elsewhere cannot set that
  // header on a cross-origin request: it would need a CORS preflight, which
  // vigil never grants.
  const forwarded = headers['x-forwarded-host'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first !== undefined && first !== '' && originHost === normalizeHost(first, parsed.protocol);
}

// The Host header as URL.host spells it: lower case, default port dropped.
function normalizeHost(host: string, protocol: string): string {
  try {
    return new URL(`${protocol}//${host}`).host.toLowerCase();
  } catch {
    return '';
  }
}

// DNS rebinding: a page on evil.example whose name is made to resolve to
// 127.0.0.1 reaches a loopback listener as "same origin". Without credentials
// (only allowed on loopback) the TCP listener therefore answers only requests
// addressed to an IP literal or localhost, which is what `docker run -p`,
// `kubectl port-forward` and ssh tunnels give. With credentials the browser
// of the attacker's page has none to send.
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (host === undefined) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return bare === 'localhost' || bare.endsWith('.localhost') || isIP(bare) !== 0;
}
