import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { trustedHtml, type SafeHtml } from '../domain/html';
import { page, type PageOptions } from './views/layout';

// Response helpers around the views: the markup itself is in server/views/.

/**
 * Sends a page with the navigation of the signed-in account (res.locals.user) and a sign-out button.
 * `csrf` is the session's token (auth.csrfToken(req)).
 */
export function sendPage(res: Response, title: string, body: SafeHtml, options: Omit<PageOptions, 'user'> = {}, status = 200): void {
  const user = res.locals.user as PageOptions['user'];
  const municipality = (res.locals.municipality as string | null | undefined) ?? null;
  res.status(status).type('html').send(page(title, body, { municipality, ...options, user: user ?? null }).value);
}

/** A response body encoded once (UTF-8) with its weak ETag, to be sent to many requests. */
export interface EncodedBody {
  bytes: Buffer;
  etag: string;
}

export function encodeBody(text: string): EncodedBody {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, etag: `W/"${bytes.length.toString(16)}-${createHash('sha1').update(bytes).digest('base64').slice(0, 27)}"` };
}

// Escaped values never contain '<', so the marker only appears where page() puts the body.
const bodyMarker = '<!--page-body-->';

/**
 * sendPage for a body encoded once and shared by many requests (a page rendered once per data
 * version): only the navigation (account, CSRF token) is encoded per request.
 */
export function sendEncodedPage(res: Response, title: string, body: Buffer, options: Omit<PageOptions, 'user'> = {}, status = 200): void {
  const user = res.locals.user as PageOptions['user'];
  const whole = page(title, trustedHtml(bodyMarker), { ...options, user: user ?? null }).value;
  const at = whole.indexOf(bodyMarker);
  const bytes = Buffer.concat([Buffer.from(whole.slice(0, at), 'utf8'), body, Buffer.from(whole.slice(at + bodyMarker.length), 'utf8')]);
  // No ETag: the page carries the session's CSRF token, so hashing it for every request buys nothing.
  res.status(status).type('html').set('Content-Length', String(bytes.length)).end(bytes);
}
