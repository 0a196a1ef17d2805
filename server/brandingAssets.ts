import express, { type RequestHandler } from 'express';
import type { AppServices } from '../services/appServices';
import { encodeBody, type EncodedBody } from './html';
import { runWithBrand } from './requestBrand';
import { IDENTITY_STYLESHEET_PATH } from './views/layout';
import { identityStylesheet } from './views/stylesheet';

type Branding = AppServices['branding'];

const extensions = { 'image/png': 'png', 'image/jpeg': 'jpg' } as const;

/** The immutable URL of one version of the escudo (a new upload gets a new URL, so it may be cached for a year). */
export const escudoUrl = (escudo: { version: number; mediaType: keyof typeof extensions }) => `/assets/escudo/${escudo.version}.${extensions[escudo.mediaType]}`;

/**
 * Mounted before /assets' static files and before the session: the municipality's colours as a
 * stylesheet (/assets/identity.css, revalidated by ETag on every page, so a change shows at once)
 * and each version of its escudo (/assets/escudo/<version>.png|jpg, cached as immutable, sent with
 * its stored type; helmet adds nosniff).
 */
export function brandingAssets(branding: Branding) {
  const router = express.Router();
  let stylesheet: { key: string; encoded: EncodedBody } | null = null;

  router.get(IDENTITY_STYLESHEET_PATH, async (req, res) => {
    const { colors } = await branding.brand();
    const key = `${colors.primary} ${colors.accent}`;
    if (stylesheet?.key !== key) stylesheet = { key, encoded: encodeBody(identityStylesheet(colors)) };
    res.set({ 'Cache-Control': 'no-cache', ETag: stylesheet.encoded.etag });
    if (req.fresh) return void res.status(304).end();
    res.type('css').send(stylesheet.encoded.bytes);
  });

  router.get('/assets/escudo/:file', async (req, res) => {
    const match = /^(\d{1,12})\.(png|jpg)$/.exec(String(req.params.file));
    const escudo = match ? await branding.escudoVersion(Number(match[1])) : null;
    if (!escudo || extensions[escudo.mediaType] !== match?.[2]) {
      return void res.status(404).type('text/plain').send('No existe esa versión del escudo.');
    }
    res.set({
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: `"${escudo.sha256}"`,
      'Content-Type': escudo.mediaType,
      // An image is never a page: nothing in it may run, even opened on its own.
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    if (req.fresh) return void res.status(304).end();
    res.send(escudo.content);
  });
  return router;
}

/**
 * Every page's header names the municipality and shows its escudo (read at most every few seconds);
 * the API does not need them. A database problem leaves the header plain; the page reports it.
 */
export const brandHeader =
  (branding: Branding): RequestHandler =>
  (req, res, next) => {
    if (req.path.startsWith('/api/')) return next();
    branding.brand().then(
      (brand) => {
        res.locals.municipality = brand.name;
        runWithBrand({ name: brand.name, escudoUrl: brand.escudo ? escudoUrl(brand.escudo) : null }, next);
      },
      () => next(),
    );
  };
