import { createHash, randomUUID } from 'node:crypto';
import type { Express } from 'express';
import forge from 'node-forge';
import request from 'supertest';
import { createUser } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { createPdfSigner, readDocument, storeNoAdjustmentRecord, UNSIGNED_STATEMENT, type NoAdjustmentRecordInput } from '../documents';
import { checkPadesSignature, testCertificate, type TestCertificate } from './support/pades';
import { pdfText } from './support/pdfText';
import { createHarness, createTestApp, testAppSecret, type Harness, type TestApp } from './support/harness';

const PASSWORD = 'una clave de pruebas suficientemente larga';
const flat = (text: string) => text.replace(/\s+/g, ' ');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const derOf = (certificate: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');

/** A constancia of its own review (unique key), issued at `recordedAt`. */
const constancia = (recordedAt = new Date().toISOString()): NoAdjustmentRecordInput => ({
  issuer: { municipality: 'Pasto' },
  reviewWorkflowId: `pades-${randomUUID()}`,
  fiscalYear: 2026,
  quarter: 2,
  department: { code: 'SAL', name: 'Secretaría de Salud', liaisonName: 'María Ñáñez', liaisonEmail: 'enlace.salud@pasto.gov.co' },
  alert: { sentAt: '2026-07-15T15:00:00.000Z', recipient: 'enlace.salud@pasto.gov.co' },
  reminders: ['2026-07-22T13:00:00.000Z'],
  deadline: { initial: '2026-07-29T04:59:59.999Z', extensions: [] },
  recordedAt,
  goals: [{ goalCode: 'MP-001', name: 'Vacunar niños y niñas menores de 5 años', status: 'behind', measurement: null }],
});

async function signIn(app: Express, db: Database) {
  const email = `admin-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  await createUser(db, { email, name: 'Adriana Administradora', role: 'admin', password: PASSWORD });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: PASSWORD, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

const apiBody = (certificate: TestCertificate, passphrase = certificate.passphrase) => ({
  fileName: 'firma-alcaldia.p12',
  contentBase64: certificate.p12.toString('base64'),
  passphrase,
});

describe('PAdES digital signature of the PDF records', () => {
  let h: Harness;
  let app: Express;
  let admin: TestApp['admin'];
  let as: TestApp['as'];
  let db: Database;
  const issue = async (input: NoAdjustmentRecordInput) => {
    const stored = await storeNoAdjustmentRecord(db, input, createPdfSigner(db, testAppSecret));
    const document = await readDocument(db, stored.id);
    if (!document) throw new Error('the record was not stored');
    return { stored, pdf: document.content };
  };

  beforeAll(async () => {
    h = await createHarness({ seed: async () => undefined });
    ({ app, admin, as } = await createTestApp(h));
    db = h.database.db;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('without a certificate, a record is issued unsigned and says so', async () => {
    const { pdf } = await issue(constancia());
    expect(pdf.toString('latin1')).not.toContain('/ByteRange');
    expect(flat((await pdfText(pdf)).join('\n'))).toContain(UNSIGNED_STATEMENT);
  });

  it('refuses a certificate from a non-administrator, with a wrong passphrase, expired, or not a PKCS#12, and never echoes the passphrase', async () => {
    const good = testCertificate({ commonName: 'Rechazos Pruebas', passphrase: `clave-${randomUUID()}` });
    const before = await db.$count(t.signingCertificates);

    const coordinator = await as('coordinator');
    await coordinator.put('/api/signing-certificate').send(apiBody(good)).expect(403);
    await coordinator.get('/api/signing-certificate').expect(403);

    const wrong = await admin.put('/api/signing-certificate').send(apiBody(good, 'otra-clave-que-no-es')).expect(400);
    expect(wrong.body.error.code).toBe('invalid_input');
    expect(wrong.body.error.message).toBe('La contraseña del certificado no es válida: la contraseña no abre el certificado; revísela (distingue mayúsculas y minúsculas)');
    expect(wrong.text).not.toContain('otra-clave-que-no-es');

    const expired = testCertificate({ commonName: 'Vencido Pruebas', passphrase: 'clave-vencida', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
    const old = await admin.put('/api/signing-certificate').send(apiBody(expired)).expect(400);
    expect(old.body.error.message).toMatch(/^El certificado no es válido: venció el 31 de diciembre de 2020; cargue un certificado vigente$/);

    const notP12 = await admin.put('/api/signing-certificate').send({ fileName: 'x.p12', contentBase64: Buffer.from('no soy un certificado').toString('base64'), passphrase: 'x' }).expect(400);
    expect(notP12.body.error.message).toContain('El certificado no es válido: el archivo no es un certificado PKCS#12');
    const noPassphrase = await admin.put('/api/signing-certificate').send({ contentBase64: good.p12.toString('base64') }).expect(400);
    expect(noPassphrase.body.error.message).toBe('La contraseña del certificado no es válida: escriba la contraseña del certificado');

    expect(await db.$count(t.signingCertificates)).toBe(before);
  });

  it('signs every record with the configured certificate (PAdES B-B), verifiable independently; a changed byte breaks it', async () => {
    const certificate = testCertificate({ commonName: 'Oficina de Planeación Pruebas', passphrase: `clave-${randomUUID()}` });
    const saved = await admin.put('/api/signing-certificate').send(apiBody(certificate)).expect(201);
    expect(saved.body).toMatchObject({
      subject: 'CN=Oficina de Planeación Pruebas, O=Alcaldía de Pruebas, C=CO',
      issuer: 'CN=Oficina de Planeación Pruebas, O=Alcaldía de Pruebas, C=CO',
      fingerprintSha256: sha256(certificate.certificateDer),
      fileName: 'firma-alcaldia.p12',
    });
    // Secrets appear in no answer, no stored column and no audit entry.
    const listed = await admin.get('/api/signing-certificate').expect(200);
    expect(listed.body.current.version).toBe(saved.body.version);
    for (const text of [saved.text, listed.text, JSON.stringify(await db.select().from(t.auditLog))]) {
      expect(text).not.toContain(certificate.passphrase);
      expect(text).not.toContain(certificate.p12.toString('base64').slice(0, 40));
    }
    const [row] = await db.select().from(t.signingCertificates).orderBy(t.signingCertificates.id).limit(1).offset((await db.$count(t.signingCertificates)) - 1);
    expect(row?.sealedPassphrase).toBeTruthy();
    expect(row?.sealedPassphrase).not.toContain(certificate.passphrase);

    // Issued now (the certificate is valid from yesterday), to the second.
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const input = constancia(issuedAt.toISOString());
    const { stored, pdf } = await issue(input);
    const check = checkPadesSignature(pdf);
    expect({ ...check, signer: undefined }).toEqual({
      subFilter: 'ETSI.CAdES.detached',
      byteRange: check.byteRange,
      coversAllButContents: true,
      messageDigestMatches: true,
      signatureVerifies: true,
      signingCertificateMatches: true,
      hasSigningTimeAttribute: false,
      signer: undefined,
      valid: true,
    });
    expect(sha256(derOf(check.signer))).toBe(sha256(certificate.certificateDer));
    // The signature time is the record's own issue time.
    expect(pdf.toString('latin1')).toContain(`/M (D:${issuedAt.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`);
    const text = flat((await pdfText(pdf)).join('\n'));
    expect(text).toContain('Documento firmado digitalmente (PAdES, Ley 527 de 1999) con el certificado de Oficina de Planeación Pruebas');
    expect(text).not.toContain(UNSIGNED_STATEMENT);
    // The stored hash is the signed file's.
    expect(stored.sha256).toBe(sha256(pdf));

    // Issuing the same record again returns the stored, signed file: nothing is re-signed.
    const again = await storeNoAdjustmentRecord(db, input, createPdfSigner(db, testAppSecret));
    expect(again).toMatchObject({ id: stored.id, sha256: stored.sha256, created: false });

    // One changed byte of the signed content (or of the signature) and the check fails.
    const content = Buffer.from(pdf);
    const inContent = Math.floor(check.byteRange[1]! / 2);
    content[inContent] = content[inContent]! ^ 0x01;
    expect(checkPadesSignature(content)).toMatchObject({ messageDigestMatches: false, valid: false });
    const signature = Buffer.from(pdf);
    const inSignature = check.byteRange[1]! + 1 + 2 * 700;
    expect(signature[inSignature]).toBeDefined();
    signature[inSignature] = signature[inSignature] === 0x30 ? 0x31 : 0x30; // a hex digit of the CMS
    expect(checkPadesSignature(signature).valid).toBe(false);
  });

  it('keeps every version: a new certificate signs the next records, stopping signing makes them unsigned again', async () => {
    const first = testCertificate({ commonName: 'Primera Versión', passphrase: 'clave-primera' });
    const second = testCertificate({ commonName: 'Segunda Versión', passphrase: 'clave-segunda' });
    const v1 = (await admin.put('/api/signing-certificate').send(apiBody(first)).expect(201)).body.version as number;
    const v2 = (await admin.put('/api/signing-certificate').send(apiBody(second)).expect(201)).body.version as number;
    expect(v2).toBeGreaterThan(v1);
    const listed = await admin.get('/api/signing-certificate').expect(200);
    expect(listed.body.current.subject).toContain('CN=Segunda Versión');
    expect(listed.body.versions.map((v: { version: number }) => v.version)).toEqual(expect.arrayContaining([v1, v2]));

    const signed = await issue(constancia());
    expect(checkPadesSignature(signed.pdf).signer.subject.getField('CN').value).toBe('Segunda Versión');

    await admin.delete('/api/signing-certificate').expect(200);
    const unsigned = await issue(constancia());
    expect(unsigned.pdf.toString('latin1')).not.toContain('/ByteRange');
    expect(flat((await pdfText(unsigned.pdf)).join('\n'))).toContain(UNSIGNED_STATEMENT);
    expect((await admin.get('/api/signing-certificate').expect(200)).body.current).toBeNull();
  });

  it('the administrators page uploads the certificate (CSRF-checked), shows subject, issuer and validity, and explains a refusal', async () => {
    const { browser, csrf } = await signIn(app, db);
    const certificate = testCertificate({ commonName: 'Página Pruebas', passphrase: 'clave-de-la-pagina' });
    const upload = (passphrase: string, token = csrf) =>
      browser.post('/admin/firma-digital').field('_csrf', token).field('passphrase', passphrase).attach('certificado', certificate.p12, { filename: 'pagina.p12', contentType: 'application/x-pkcs12' });

    await upload(certificate.passphrase, 'no-es-el-token').expect(403);
    const refused = await upload('clave-equivocada').expect(400);
    expect(flat(refused.text)).toContain('La contraseña del certificado no es válida: la contraseña no abre el certificado');
    expect(refused.text).not.toContain('clave-equivocada');

    await upload(certificate.passphrase).expect(303).expect('Location', '/admin/firma-digital?guardado=certificado');
    const page = flat((await browser.get('/admin/firma-digital?guardado=certificado').expect(200)).text);
    expect(page).toContain('Se guardó el certificado');
    expect(page).toContain('CN=Página Pruebas, O=Alcaldía de Pruebas, C=CO');
    expect(page).toMatch(/Vigencia<\/dt><dd>Del \d{1,2} de [a-z]+ de \d{4} al \d{1,2} de [a-z]+ de \d{4}/);
    expect(page).not.toContain(certificate.passphrase);

    const coordinator = await as('coordinator');
    await coordinator.get('/admin/firma-digital').set('Accept', 'text/html').expect(403);
  });
});
