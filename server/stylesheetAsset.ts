import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { encodeBody } from './html';
import { STYLESHEET_PATH } from './views/layout';
import { stylesheet } from './views/stylesheet';

const encoded = encodeBody(stylesheet(readFileSync(path.join(__dirname, 'assets', 'app.css'), 'utf8')));

/** GET /assets/app.css: built once at start, revalidated by ETag after an hour (as the scripts are). */
export const stylesheetAsset: { path: string; handler: RequestHandler } = {
  path: STYLESHEET_PATH,
  handler: (req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=3600', ETag: encoded.etag });
    if (req.fresh) return void res.status(304).end();
    res.type('css').send(encoded.bytes);
  },
};
