// HTTP basic auth for the TCP listener, with supervisord's password forms:
// plain text or `{SHA}` + hex sha1 (supervisor/http.py encrypted_dictionary_authorizer).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export interface Credentials {
  username: string;
  password: string; // plain, or '{SHA}' + 40 hex digits
}

// Compares digests, not the strings, so the time taken says nothing about
// how much of a guess was right (timingSafeEqual needs equal lengths).
function sameSecret(a: string, b: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

// Checks an Authorization header; false for anything missing or malformed.
export function checkBasicAuth(header: string | undefined, expected: Credentials): boolean {
  if (header === undefined) return false;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return false;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  const userOk = sameSecret(username, expected.username);
  let passwordOk: boolean;
  if (expected.password.startsWith('{SHA}')) {
    const hash = createHash('sha1').update(password, 'utf8').digest('hex');
    passwordOk = sameSecret(hash, expected.password.slice(5).toLowerCase());
  } else {
    passwordOk = sameSecret(password, expected.password);
  }
  return userOk && passwordOk;
}

// True when `host` only accepts connections from this machine. An empty host
// or `*` (supervisord's `port=*:9001`) means every interface.
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}
