import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { createUser } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { contrastRatio } from '../domain/identityColors';
import { createAppServices } from '../services/appServices';
import { MAX_ESCUDO_BYTES } from '../services/municipalityBranding';
import { escudoPng } from './support/escudo';
import { createHarness, createTestApp, type Harness, type TestApp } from './support/harness';

const PASSWORD = 'una clave de pruebas suficientemente larga';
const flat = (text: string) => text.replace(/\s+/g, ' ');

async function signIn(app: Express, db: Database) {
  const email = `admin-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  await createUser(db, { email, name: 'Adriana Administradora', role: 'admin', password: PASSWORD });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: PASSWORD, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe("the municipality's escudo and colours", () => {
  let h: Harness;
  let app: Express;
  let admin: TestApp['admin'];
  let db: Database;

  beforeAll(async () => {
    h = await createHarness({ seed: async () => undefined });
    ({ app, admin } = await createTestApp(h));
    db = h.database.db;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('takes a PNG or JPEG escudo checked by its bytes, keeps every version, serves each at its own cached URL and shows the current one on every page', async () => {
    const { browser, csrf } = await signIn(app, db);
    const upload = (content: Buffer, filename: string, contentType = 'image/png', token = csrf) =>
      browser.post('/admin/municipio/escudo').field('_csrf', token).attach('escudo', content, { filename, contentType });

    // Refused, told next to the form, nothing stored: an SVG (it can carry scripts) even when named .png,
    // a text file declared as JPEG, a file over the limit, a PNG declaring a huge image, no file at all.
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect(flat((await upload(svg, 'escudo.png').expect(400)).text)).toContain('El escudo no es válido: no se aceptan imágenes SVG (pueden contener programas); exporte el escudo como PNG o JPEG');
    expect(flat((await upload(Buffer.from('no soy una imagen'), 'escudo.jpg', 'image/jpeg').expect(400)).text)).toContain('el archivo no es una imagen PNG ni JPEG');
    const tooBig = Buffer.concat([escudoPng(8), Buffer.alloc(MAX_ESCUDO_BYTES)]);
    expect(flat((await upload(tooBig, 'grande.png').expect(413)).text)).toContain('el archivo pesa más de 512 KB, el máximo');
    expect(flat((await upload(escudoPng(8, { width: 100_000, height: 8 }), 'enorme.png').expect(400)).text)).toContain('la imagen mide 100.000 × 8 píxeles; el máximo es 4.096 por lado');
    const noFile = await browser.post('/admin/municipio/escudo').field('_csrf', csrf).expect(400);
    expect(flat(noFile.text)).toContain('El escudo no es válido: elija un archivo de imagen');
    expect(noFile.text).toContain('id="escudo-archivo"');
    // The multipart form is CSRF-checked like every other.
    await upload(escudoPng(), 'escudo.png', 'image/png', 'no-es-el-token').expect(403);
    expect(await db.$count(t.municipalityEscudos)).toBe(0);

    const first = escudoPng(64);
    await upload(first, 'escudo-pasto.png').expect(303).expect('Location', '/admin/municipio?guardado=escudo');
    const page = flat((await browser.get('/admin/municipio?guardado=escudo').expect(200)).text);
    expect(page).toContain('Se guardó el escudo: ya aparece en el encabezado de las páginas.');
    expect(page).toContain('Versión 1 («escudo-pasto.png»)');
    expect(page).toContain('<img class="escudo" src="/assets/escudo/1.png" alt="">');

    // Served as stored: its type, nosniff, a sandboxing CSP, cached as immutable; revalidated by its hash.
    const served = await request(app).get('/assets/escudo/1.png').buffer(true).parse(binary).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(served.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.compare(served.body as Buffer, first)).toBe(0);
    await request(app).get('/assets/escudo/1.png').set('If-None-Match', String(served.headers.etag)).expect(304);
    await request(app).get('/assets/escudo/1.jpg').expect(404);
    await request(app).get('/assets/escudo/99.png').expect(404);

    // A JPEG replaces it as version 2; version 1 is kept and still served (a record may carry it).
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF contenido de prueba')]);
    await upload(jpeg, 'escudo.jpg', 'image/jpeg').expect(303);
    await request(app).get('/assets/escudo/1.png').expect(200);
    const second = await request(app).get('/assets/escudo/2.jpg').expect(200);
    expect(second.headers['content-type']).toBe('image/jpeg');

    // What records will read: the current escudo's bytes and type.
    const services = createAppServices(db);
    const current = await services.branding.currentEscudo();
    expect(current).toMatchObject({ version: 2, mediaType: 'image/jpeg', byteLength: jpeg.length, fileName: 'escudo.jpg', uploadedBy: 'Adriana Administradora' });
    expect(Buffer.compare(current!.content, jpeg)).toBe(0);

    // Every page's header, signed in or not, shows it (the header's cache lasts a few seconds at most; this app saved it).
    expect((await browser.get('/').expect(200)).text).toContain('<img class="escudo" src="/assets/escudo/2.jpg" alt="">');
    expect((await request(app).get('/login').expect(200)).text).toContain('<img class="escudo" src="/assets/escudo/2.jpg" alt="">');
    expect((await request(app).get('/no-existe').set('Accept', 'text/html').expect(404)).text).toContain('src="/assets/escudo/2.jpg"');
    expect((await admin.get('/api/municipality').expect(200)).body.escudo).toMatchObject({ version: 2, mediaType: 'image/jpeg', url: '/assets/escudo/2.jpg' });

    // Removing it is recorded too: pages go back to the name alone; the versions stay.
    await browser.post('/admin/municipio/escudo/quitar').type('form').send({ _csrf: csrf }).expect(303);
    expect((await browser.get('/').expect(200)).text).not.toContain('class="escudo"');
    expect(await services.branding.currentEscudo()).toBeNull();
    expect(await db.$count(t.municipalityEscudos)).toBe(3);
    await request(app).get('/assets/escudo/2.jpg').expect(200);
  });

  it('takes colours with enough contrast against white and serves them as /assets/identity.css, revalidated by ETag', async () => {
    const { browser, csrf } = await signIn(app, db);
    const before = await request(app).get('/assets/identity.css').expect(200);
    expect(before.headers['content-type']).toContain('text/css');
    expect(before.headers['cache-control']).toBe('no-cache');
    expect(before.text).toContain('--color-primary: #004884; --color-accent: #3366cc;');
    await request(app).get('/assets/identity.css').set('If-None-Match', String(before.headers.etag)).expect(304);
    // Every page links it after the stylesheet (no inline style: the CSP forbids it).
    expect((await request(app).get('/login').expect(200)).text).toContain('<link rel="stylesheet" href="/assets/app.css">\n<link rel="stylesheet" href="/assets/identity.css">');

    // A yellow nobody could read white text on: refused with the ratio, what was chosen kept in the form.
    const refused = flat((await browser.post('/admin/municipio/colores').type('form').send({ _csrf: csrf, primary: '#ffd700', accent: '#3366cc' }).expect(400)).text);
    expect(refused).toContain('El color principal no es válido: #ffd700 contrasta 1,4:1 con el blanco; se necesita al menos 4,5:1 para que se pueda leer (elija un tono más oscuro)');
    expect(refused).toContain('id="color-principal" name="primary" type="color" value="#ffd700"');
    const notAColour = await admin.put('/api/municipality/colors').send({ primary: 'rojo', accent: '#ccc' }).expect(400);
    expect(notAColour.body.error.details).toEqual([
      'Color principal: «rojo» no es un color; escríbalo como #rrggbb (p. ej. #004884)',
      'Color de acento: #cccccc contrasta 1,6:1 con el blanco; se necesita al menos 3:1 para que se pueda leer (elija un tono más oscuro)',
    ]);
    expect(await db.$count(t.municipalityColors)).toBe(0);

    await browser.post('/admin/municipio/colores').type('form').send({ _csrf: csrf, primary: '#7A1F2B', accent: '#B8860B' }).expect(303);
    expect(contrastRatio('#7a1f2b', '#ffffff')).toBeGreaterThan(4.5);
    const after = await request(app).get('/assets/identity.css').expect(200);
    expect(after.text).toContain('--color-primary: #7a1f2b; --color-accent: #b8860b;');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    await request(app).get('/assets/identity.css').set('If-None-Match', String(before.headers.etag)).expect(200);
    const page = flat((await browser.get('/admin/municipio?guardado=colores').expect(200)).text);
    expect(page).toContain('Se guardaron los colores: ya se aplican en todas las páginas.');
    expect(page).toMatch(/principal <code>#7a1f2b<\/code> \(contraste [\d,]+:1 con el blanco\)/);

    // Back to the defaults: a new row too (every choice is kept).
    await browser.post('/admin/municipio/colores').type('form').send({ _csrf: csrf, primary: '#7a1f2b', accent: '#b8860b', restablecer: '1' }).expect(303);
    expect((await request(app).get('/assets/identity.css').expect(200)).text).toContain('--color-primary: #004884;');
    expect(await db.$count(t.municipalityColors)).toBe(2);
  });
});
