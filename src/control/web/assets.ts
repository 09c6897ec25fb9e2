// GET / (and /index.html), /app.js, /app.css: the web page, embedded in the
// bundle by scripts/build.mjs from src/web/. Served with a strict CSP (no
// inline script or style, nothing from another origin), no framing, and an
// ETag so a reload costs one 304.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Route } from '../routes/context.ts';

interface WebBundle {
  html: string;
  js: string;
  css: string;
}

declare const __VIGIL_WEB__: WebBundle | undefined;

// Outside the bundle (tests run the sources), a page that says how to get the real one.
const FALLBACK: WebBundle = {
  html: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>vigil</title></head><body><p>The web page is not built into this copy of vigil: run <code>npm run build</code>.</p></body></html>',
  js: '',
  css: '',
};

const BUNDLE: WebBundle = typeof __VIGIL_WEB__ === 'object' && __VIGIL_WEB__ !== null ? __VIGIL_WEB__ : FALLBACK;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Headers for everything the page is made of.
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Revalidate every time (cheap: 304), so an upgraded vigil serves its own page.
  'Cache-Control': 'no-cache',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function asset(text: string, type: string): Asset {
  const body = Buffer.from(text, 'utf8');
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

const ASSETS = {
  html: asset(BUNDLE.html, 'text/html; charset=utf-8'),
  js: asset(BUNDLE.js, 'text/javascript; charset=utf-8'),
  css: asset(BUNDLE.css, 'text/css; charset=utf-8'),
};

function serve(res: ServerResponse, file: Asset, ifNoneMatch: string | undefined): 'streamed' {
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === file.etag)) {
    res.writeHead(304, { ...PAGE_HEADERS, ETag: file.etag });
    res.end();
    return 'streamed';
  }
  res.writeHead(200, { ...PAGE_HEADERS, 'Content-Type': file.type, 'Content-Length': file.body.length, ETag: file.etag });
  res.end(file.body);
  return 'streamed';
}

function assetRoute(file: Asset): Route {
  return { method: 'GET', handle: ({ req, res }) => serve(res, file, req.headers['if-none-match']) };
}

export const pageRoute = assetRoute(ASSETS.html);
export const scriptRoute = assetRoute(ASSETS.js);
export const styleRoute = assetRoute(ASSETS.css);

// Total size of the embedded page, for the build's budget check and tests.
export function pageBytes(): number {
  return ASSETS.html.body.length + ASSETS.js.body.length + ASSETS.css.body.length;
}
