import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client';
import * as t from '../db/schema';
import { alterRecordsBehindTheApp } from './support/appendOnly';
import { openTestDatabase, testDatabaseKinds } from './support/harness';
import { pdfText } from './support/pdfText';
import {
  canonicalJson,
  certifiedContent,
  CERTIFIED_DATA_FILE_NAME,
  documentFileName,
  documentKey,
  PDF_CONTENT_TYPE,
  readDocument,
  readDocumentByKey,
  renderJustificationAndCommitment,
  renderNoAdjustmentRecord,
  storeDocument,
  storeJustificationAndCommitment,
  storeNoAdjustmentRecord,
  type JustificationInput,
  type NoAdjustmentRecordInput,
} from '../documents';

// ---------- reading pdfkit's output back, without poppler ----------

interface PdfObject {
  dictionary: string;
  stream: Buffer | null;
}

/** Every object of a PDF (pdfkit writes a classic xref table and no object streams), streams inflated. */
function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const raw = pdf.toString('latin1');
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(raw)?.[1]);
  const xref = /^xref\s+0 (\d+)\s+([\s\S]*?)trailer/.exec(raw.slice(startxref));
  if (!xref) throw new Error('no xref table');
  const offsets = [...(xref[2] ?? '').matchAll(/(\d{10}) \d{5} ([nf])/g)].map((m) => (m[2] === 'n' ? Number(m[1]) : null));
  const objects = new Map<number, PdfObject>();
  offsets.forEach((offset, id) => {
    if (offset === null) return;
    const header = /^(\d+) 0 obj\s*/.exec(raw.slice(offset, offset + 20));
    if (!header || Number(header[1]) !== id) throw new Error(`xref offset of object ${id} is wrong`);
    const body = offset + header[0].length;
    const streamAt = raw.indexOf('stream\n', body);
    const endAt = raw.indexOf('endobj', body);
    if (streamAt !== -1 && streamAt < endAt) {
      const dictionary = raw.slice(body, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
      let stream = pdf.subarray(streamAt + 'stream\n'.length, streamAt + 'stream\n'.length + length);
      if (/\/Filter \/FlateDecode/.test(dictionary)) stream = zlib.inflateSync(stream);
      objects.set(id, { dictionary, stream });
    } else {
      objects.set(id, { dictionary: raw.slice(body, endAt), stream: null });
    }
  });
  return objects;
}

const ref = (dictionary: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dictionary)?.[1]);
const hexUnits = (hex: string) => (hex.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((h) => parseInt(h, 16));

/** glyph ID → text, from a font's ToUnicode CMap (pdfkit writes bfrange arrays). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const [, start, , entries] of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
    [...(entries ?? '').matchAll(/<([0-9a-f\s]*)>/gi)].forEach((entry, i) => {
      map.set(parseInt(start ?? '0', 16) + i, String.fromCharCode(...hexUnits(entry[1] ?? '')));
    });
  }
  return map;
}

interface ReadPdf {
  pages: string[];
  /** All pages, whitespace collapsed: phrases match across line breaks. */
  text: string;
  attachments: Map<string, Buffer>;
  pageCount: number;
}

function readPdf(pdf: Buffer): ReadPdf {
  const objects = pdfObjects(pdf);
  const get = (id: number) => {
    const object = objects.get(id);
    if (!object) throw new Error(`object ${id} missing`);
    return object;
  };
  // Font resource name → its glyph map.
  const fonts = new Map<string, Map<number, string>>();
  for (const { dictionary } of objects.values()) {
    for (const block of dictionary.matchAll(/\/Font <<([^>]*)>>/g)) {
      for (const [, name, id] of (block[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)) {
        const font = get(Number(id));
        const cmapId = ref(font.dictionary, 'ToUnicode');
        if (name && cmapId) fonts.set(name, toUnicode(get(cmapId).stream?.toString('latin1') ?? ''));
      }
    }
  }
  const catalog = [...objects.values()].find((o) => /\/Type \/Catalog/.test(o.dictionary));
  const pagesRoot = get(ref(catalog?.dictionary ?? '', 'Pages'));
  const kids = [...(/\/Kids \[([^\]]*)\]/.exec(pagesRoot.dictionary)?.[1] ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  const pages = kids.map((id) => {
    const content = get(ref(get(id).dictionary, 'Contents')).stream?.toString('latin1') ?? '';
    const lines: string[] = [];
    let glyphs = new Map<number, string>();
    for (const op of content.matchAll(/\/(\S+) [\d.]+ Tf|\[((?:<[0-9a-f]*>|[-\d.\s])*)\] TJ/gi)) {
      if (op[1]) glyphs = fonts.get(op[1]) ?? new Map();
      else lines.push([...(op[2] ?? '').matchAll(/<([0-9a-f]*)>/gi)].flatMap((h) => hexUnits(h[1] ?? '').map((g) => glyphs.get(g) ?? '\uFFFD')).join(''));
    }
    return lines.join('\n');
  });
  const attachments = new Map<string, Buffer>();
  for (const { dictionary } of objects.values()) {
    if (!/\/Type \/Filespec/.test(dictionary)) continue;
    const name = /\/F \(([^)]*)\)/.exec(dictionary)?.[1] ?? '';
    attachments.set(name, get(Number(/\/EF <<\s*\/F (\d+) 0 R/.exec(dictionary)?.[1])).stream ?? Buffer.alloc(0));
  }
  const pageCount = (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
  return { pages, text: pages.join('\n').replace(/\s+/g, ' '), attachments, pageCount };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// ---------- inputs ----------

const LONG_NAME = 'Construir y dotar centros de atención integral a la primera infancia en la zona rural del municipio, con enfoque diferencial étnico';

const goals = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    goalCode: `MP-${String(i + 1).padStart(3, '0')}`,
    name: i % 3 === 0 ? LONG_NAME : `Vacunar niños y niñas menores de 5 años (meta ${i + 1})`,
    status: i % 2 ? ('behind' as const) : ('notStarted' as const),
    // The alerts table carries whole Measurements; what the document does not print is dropped.
    measurement: { accumulation: 'sum', annualTarget: 2000, expectedToDate: 1250.5, executedToDate: i % 2 ? 300 : 0, progressPercent: i % 2 ? 23.99 : 0, annualPercent: null },
  }));

const review = {
  issuer: { municipality: 'Pasto' },
  reviewWorkflowId: 'revision-2026-T2/SAL',
  fiscalYear: 2026,
  quarter: 2 as const,
  department: { code: 'SAL', name: 'Secretaría de Salud', liaisonName: 'María Ñáñez', liaisonEmail: 'enlace.salud@pasto.gov.co' },
  alert: { sentAt: '2026-07-15T15:00:00.000Z', recipient: 'enlace.salud@pasto.gov.co' },
  reminders: ['2026-07-22T13:00:00.000Z', '2026-07-27T13:00:00.000Z'],
  // Deadlines end at midnight in Bogotá (UTC−5).
  deadline: {
    initial: '2026-07-29T04:59:59.999Z',
    extensions: [{ deadline: '2026-08-05T04:59:59.999Z', reason: 'Cierre contable de la dependencia (Carlos Pérez)' }],
  },
  recordedAt: '2026-08-05T05:00:00.000Z',
};

const noAdjustment = (n = 1): NoAdjustmentRecordInput => ({ ...review, goals: goals(n) });

const SCRIPT = '<script>alert("x")</script>';
const LONG_JUSTIFICATION = `El proceso de contratación ${SCRIPT} se declaró desierto en dos ocasiones por falta de oferentes habilitados. `.repeat(30);

const justification = (n = 2): JustificationInput => ({
  ...review,
  goals: goals(n).map((goal, i) =>
    i % 2 === 0
      ? {
          ...goal,
          action: 'keep' as const,
          justification: i === 0 ? LONG_JUSTIFICATION : 'Retraso en la contratación del operador del programa.',
          commitment: 'Ejecutar el 100 % de lo programado antes del cierre de la vigencia.',
          before: { annualTarget: 100, quarterlyTargets: [25, 25, 25, 25] as [number, number, number, number] },
          after: null,
        }
      : {
          ...goal,
          action: 'reprogram' as const,
          justification: 'La obra depende de la licencia ambiental, aún en trámite ante Corponariño.',
          commitment: 'Entregar la obra en el primer trimestre de 2027.',
          before: { annualTarget: 100, quarterlyTargets: [25, 25, 25, 25] as [number, number, number, number], futureAnnualTargets: { '2027': 100 } },
          after: { annualTarget: 80, quarterlyTargets: [25, 5, 25, 25] as [number, number, number, number], futureAnnualTargets: { '2027': 120 } },
          altersTermTarget: i === 1,
          councilAgreement: i === 1 ? 'Acuerdo 012 de 2026' : null,
        },
  ),
  response: { respondent: { name: 'María Ñáñez', email: 'enlace.salud@pasto.gov.co' }, submittedAt: '2026-07-25T16:00:00.000Z' },
  changeRequests: [{ comment: 'Precise el cronograma del compromiso.', deadline: '2026-08-01T04:59:59.999Z', requestedAt: '2026-07-26T14:00:00.000Z', coordinator: 'Carlos Pérez' }],
  approval: { approvedBy: 'Carlos Pérez Benavides', approvedAt: '2026-07-30T15:00:00.000Z', round: 2 },
});

/** The same object with every object's keys in reverse order. */
const reversedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reversedKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]))
      : value;

// ---------- rendering ----------

describe('PDF records of PE-P-008', () => {
  test('rendering is deterministic: the same input gives byte-identical files, whatever its key order', async () => {
    const first = await renderNoAdjustmentRecord(noAdjustment(3));
    const second = await renderNoAdjustmentRecord(noAdjustment(3));
    const reordered = await renderNoAdjustmentRecord(reversedKeys(noAdjustment(3)) as NoAdjustmentRecordInput);
    expect(second.equals(first)).toBe(true);
    expect(reordered.equals(first)).toBe(true);
    // The PDF's dates are the record's, not the clock's.
    expect(first.toString('latin1')).toContain('/CreationDate (D:20260805050000Z)');

    const j1 = await renderJustificationAndCommitment(justification(4));
    const j2 = await renderJustificationAndCommitment(justification(4));
    expect(j2.equals(j1)).toBe(true);

    const later = await renderNoAdjustmentRecord({ ...noAdjustment(3), recordedAt: '2026-08-06T05:00:00.000Z' });
    expect(later.equals(first)).toBe(false);
  });

  test('the constancia is a valid one-page PDF with the department, the procedure, the dates and the statement', async () => {
    const pdf = await renderNoAdjustmentRecord(noAdjustment(1));
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(pdf.subarray(-6).toString('latin1')).toBe('%%EOF\n');
    const read = readPdf(pdf);
    expect(read.pageCount).toBe(1);
    expect(read.pages).toHaveLength(1);

    const { text } = read;
    expect(text).toContain('ALCALDÍA DE PASTO');
    expect(text).toContain('Oficina de Planeación de Gestión Institucional – OPGI');
    expect(text).toContain('PE-P-008');
    expect(text).toContain('Reprogramación o ajuste de metas de producto');
    expect(text).toContain('CONSTANCIA DE NEGATIVA DE AJUSTES');
    expect(text).toContain('Secretaría de Salud (SAL)');
    expect(text).toContain('Vigencia 2026 · Trimestre 2');
    expect(text).toContain('revision-2026-T2/SAL');
    expect(text).toContain('15 de julio de 2026 a las 10:00');
    // Reminders as a list; the initial deadline and its extension; midnight is 00:00, not 24:00.
    expect(text).toContain('1. 22 de julio de 2026 a las 08:00 2. 27 de julio de 2026 a las 08:00');
    expect(text).toContain('28 de julio de 2026 a las 23:59');
    expect(text).toContain('Hasta el 4 de agosto de 2026 a las 23:59. Motivo: Cierre contable de la dependencia (Carlos Pérez)');
    expect(text).toContain('5 de agosto de 2026 a las 00:00');
    expect(text).not.toContain('24:00');
    expect(text).toContain(
      'Vencido el plazo de respuesta el 4 de agosto de 2026 a las 23:59 sin respuesta de la dependencia Secretaría de Salud',
    );
    expect(text).toContain('se deja constancia de que no se realizaron ajustes a la meta de producto relacionada en este documento');
    expect(text).toContain('Página 1 de 1');
    // The goal's row: code, name, status, expected, executed, progress.
    expect(text).toContain('MP-001');
    expect(text).toContain('No iniciada');
    expect(text).toContain('1.250,5');
  });

  test('the footer prints the SHA-256 of the certified data, which is attached to the PDF', async () => {
    const input = noAdjustment(2);
    const pdf = await renderNoAdjustmentRecord(input);
    const { text, attachments } = readPdf(pdf);
    const certified = certifiedContent('noAdjustmentRecord', input);
    expect(text).toContain(`Huella SHA-256 de los datos certificados: ${certified.sha256}`);
    expect(certified.sha256).not.toBe(sha256(pdf));

    const attached = attachments.get(CERTIFIED_DATA_FILE_NAME);
    expect(attached?.toString('utf8')).toBe(certified.json);
    expect(sha256(attached ?? '')).toBe(certified.sha256);
    // What is certified is what the document shows: normalized dates, no unprinted members.
    const data = JSON.parse(certified.json) as { document: string; data: { goals: { measurement: object }[]; timeZone: string } };
    expect(data.document).toBe('noAdjustmentRecord');
    expect(data.data.timeZone).toBe('America/Bogota');
    expect(Object.keys(data.data.goals[0]?.measurement ?? {}).sort()).toEqual(['annualPercent', 'executedToDate', 'expectedToDate', 'progressPercent']);
    expect(certified.json).toBe(canonicalJson(JSON.parse(certified.json)));

    // A Date and a PostgreSQL timestamp for the same instant certify the same data.
    const asDates = certifiedContent('noAdjustmentRecord', { ...input, recordedAt: new Date(review.recordedAt), alert: { ...review.alert, sentAt: '2026-07-15 15:00:00+00' } });
    expect(asDates.sha256).toBe(certified.sha256);
    // Any change in the data changes the hash.
    expect(certifiedContent('noAdjustmentRecord', { ...input, reminders: [] }).sha256).not.toBe(certified.sha256);
  });

  test('40 goals paginate: the table header repeats, every goal appears once, pages are numbered', async () => {
    const pdf = await renderNoAdjustmentRecord(noAdjustment(40));
    const read = readPdf(pdf);
    // Several pages (how many depends on the row heights: the table also shows both avances).
    const pages = read.pageCount;
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(read.pages).toHaveLength(pages);
    read.pages.forEach((page, i) => {
      expect(page).toContain(`Página ${i + 1} de ${pages}`);
      expect(page).toContain('Huella SHA-256 de los datos certificados');
    });
    for (const goal of goals(40)) expect(read.text.match(new RegExp(`\\b${goal.goalCode}\\b`, 'g'))).toHaveLength(1);
    // Pages with rows start with the table header; the statement follows the last row.
    const withRows = read.pages.filter((page) => /MP-\d{3}/.test(page));
    expect(withRows.length).toBeGreaterThan(1);
    for (const page of withRows) expect(page).toContain('Meta de producto');
    expect(read.text.indexOf('MP-040')).toBeLessThan(read.text.indexOf('se deja constancia de que no se realizaron ajustes a las metas de producto relacionadas en este documento (40)'));
  });

  test('compress: false writes the same document with readable page streams', async () => {
    const compressed = await renderNoAdjustmentRecord(noAdjustment(3));
    const plain = await renderNoAdjustmentRecord(noAdjustment(3), { compress: false });
    expect(plain.toString('latin1')).not.toContain('/FlateDecode');
    expect(compressed.toString('latin1')).toContain('/FlateDecode');
    expect(readPdf(plain).pages).toEqual(readPdf(compressed).pages);
    // The goal codes are in the certified JSON, attached as is.
    expect(plain.toString('latin1')).toContain('"goalCode":"MP-003"');
  });

  test('the justification document: goals, programming before and after, Acuerdo del Concejo, approval; long text wraps and paginates', async () => {
    const pdf = await renderJustificationAndCommitment(justification(2));
    const read = readPdf(pdf);
    const { text } = read;
    expect(read.pageCount).toBeGreaterThan(1);
    expect(text).toContain('JUSTIFICACIÓN DE METAS NO CUMPLIDAS Y COMPROMISO');
    expect(text).toContain('Secretaría de Salud (SAL)');
    expect(text).toContain('PE-P-008');
    expect(text).toContain('Meta MP-001: ' + LONG_NAME);
    expect(text).toContain('Mantener la programación vigente, con compromiso');
    expect(text).toContain('Reprogramar la meta');
    expect(text).toContain('Programación anterior T1: 25 · T2: 25 · T3: 25 · T4: 25 · Anual: 100');
    expect(text).toContain('Programación nueva T1: 25 · T2: 5 · T3: 25 · T4: 25 · Anual: 80');
    expect(text).toContain('2027: 100 → 120');
    expect(text).toContain('Se modifica, con Acuerdo del Concejo: Acuerdo 012 de 2026');
    expect(text).toContain('Compromiso Entregar la obra en el primer trimestre de 2027.');
    expect(text).toContain('Carlos Pérez Benavides, Coordinador general del MMSE, el 30 de julio de 2026 a las 10:00 (ronda 2)');
    expect(text).toContain('María Ñáñez (enlace.salud@pasto.gov.co), el 25 de julio de 2026 a las 11:00');
    expect(text).toContain('Precise el cronograma del compromiso. Nuevo plazo: 31 de julio de 2026 a las 23:59.');
    expect(text).toContain('aprobó en común acuerdo con la dependencia el 30 de julio de 2026 a las 10:00');
    // Text is drawn as given, never interpreted: the markup appears literally, every time.
    expect(text.split(SCRIPT)).toHaveLength(31);
    // The long justification wrapped over many lines and onto the next page.
    const justificationLines = read.pages.flatMap((p) => p.split('\n')).filter((line) => line.includes('desierto') || line.includes('oferentes'));
    expect(justificationLines.length).toBeGreaterThan(20);
    expect(read.pages[1]).toContain('oferentes');
  });

  test('invalid inputs are refused before anything is drawn', async () => {
    await expect(renderNoAdjustmentRecord({ ...noAdjustment(1), goals: [] })).rejects.toThrow(/al menos una meta/);
    await expect(renderNoAdjustmentRecord({ ...noAdjustment(1), recordedAt: 'ayer' })).rejects.toThrow(/fecha inválida/);
    const [first] = justification(1).goals;
    if (!first) throw new Error('no goal');
    await expect(renderJustificationAndCommitment({ ...justification(1), goals: [{ ...first, action: 'reprogram', after: null }] })).rejects.toThrow(
      /nueva programación/,
    );
  });
});

// ---------- storing ----------

const databases = testDatabaseKinds;

describe.each(databases)('storing documents (%s)', (database) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(database);
  });
  afterAll(() => handle.close());

  const request = (key: string, render: () => Promise<Buffer>) => ({
    documentKey: key,
    kind: 'noAdjustmentRecord',
    reviewWorkflowId: 'revision-2026-T2/SAL',
    fileName: 'constancia.pdf',
    contentType: PDF_CONTENT_TYPE,
    render,
  });

  test('a stored document is never rendered again nor replaced', async () => {
    const original = await renderNoAdjustmentRecord(noAdjustment(2));
    const first = await storeDocument(handle.db, request('idempotent', async () => original));
    expect(first).toEqual({ id: expect.any(Number), sha256: sha256(original), created: true });

    const render = jest.fn(async () => Buffer.from('%PDF-1.7 something else'));
    const second = await storeDocument(handle.db, request('idempotent', render));
    expect(second).toEqual({ id: first.id, sha256: first.sha256, recordNumber: null, created: false });
    expect(render).not.toHaveBeenCalled();

    const byId = await readDocument(handle.db, first.id);
    const byKey = await readDocumentByKey(handle.db, 'idempotent');
    expect(byId?.content.equals(original)).toBe(true);
    expect(byKey).toEqual(byId);
    expect(byId).toMatchObject({ fileName: 'constancia.pdf', contentType: 'application/pdf', sha256: sha256(original), kind: 'noAdjustmentRecord' });
    expect(await readDocument(handle.db, 999_999)).toBeNull();
    expect(await readDocumentByKey(handle.db, 'missing')).toBeNull();
  });

  test('concurrent calls store one row and all return it', async () => {
    const renders = Array.from({ length: 6 }, (_, i) => jest.fn(async () => Buffer.from(`%PDF-1.7 render ${i}`)));
    const results = await Promise.all(renders.map((render) => storeDocument(handle.db, request('concurrent', render))));
    const rows = await handle.db.select().from(t.documents).where(eq(t.documents.documentKey, 'concurrent'));
    expect(rows).toHaveLength(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    for (const result of results) expect(result).toMatchObject({ id: rows[0]?.id, sha256: rows[0]?.sha256 });
    // The stored file is the winner's render, intact.
    const stored = await readDocument(handle.db, rows[0]?.id ?? 0);
    expect(stored?.content.toString()).toMatch(/^%PDF-1\.7 render \d$/);
  });

  test('when two calls both missed the key and rendered, the insert that loses returns the winner', async () => {
    // Neither render returns until both have started: both calls are past the existence check.
    let started = 0;
    let release: () => void = () => undefined;
    const bothRendering = new Promise<void>((resolve) => (release = resolve));
    const render = (label: string) => async () => {
      if (++started === 2) release();
      await bothRendering;
      return Buffer.from(`%PDF-1.7 ${label}`);
    };
    const [a, b] = await Promise.all([
      storeDocument(handle.db, request('race', render('a'))),
      storeDocument(handle.db, request('race', render('b'))),
    ]);
    expect(started).toBe(2);
    expect([a?.created, b?.created].sort()).toEqual([false, true]);
    expect(a?.id).toBe(b?.id);
    expect(a?.sha256).toBe(b?.sha256);
    const stored = await readDocumentByKey(handle.db, 'race');
    expect(stored?.sha256).toBe(a?.sha256);
    expect(sha256(stored?.content ?? '')).toBe(a?.sha256);
  });

  test('a key holding another kind of document is an error, not a match', async () => {
    await storeDocument(handle.db, request('taken', async () => Buffer.from('%PDF-1.7')));
    const render = jest.fn(async () => Buffer.from('%PDF-1.7'));
    await expect(storeDocument(handle.db, { ...request('taken', render), kind: 'justificationAndCommitment' })).rejects.toThrow(/already holds/);
    expect(render).not.toHaveBeenCalled();
    await expect(storeDocument(handle.db, request('empty', async () => Buffer.alloc(0)))).rejects.toThrow(/did not produce a file/);
    expect(await readDocumentByKey(handle.db, 'empty')).toBeNull();
  });

  test('a damaged stored file is refused on reading', async () => {
    const { id } = await storeDocument(handle.db, request('damaged', async () => Buffer.from('%PDF-1.7 original')));
    await alterRecordsBehindTheApp(handle.db, 'documents', (tx) =>
      tx
        .update(t.documents)
        .set({ content: Buffer.from('%PDF-1.7 altered').toString('base64') })
        .where(eq(t.documents.id, id)),
    );
    await expect(readDocument(handle.db, id)).rejects.toThrow(/does not match its SHA-256/);
  });

  test('storeNoAdjustmentRecord and storeJustificationAndCommitment key, name and store the PDFs once', async () => {
    const constancia = await storeNoAdjustmentRecord(handle.db, noAdjustment(2));
    expect(constancia.created).toBe(true);
    const again = await storeNoAdjustmentRecord(handle.db, { ...noAdjustment(2), recordedAt: '2026-09-01T00:00:00.000Z' });
    expect(again).toEqual({ ...constancia, created: false });

    const stored = await readDocumentByKey(handle.db, documentKey('revision-2026-T2/SAL', 'noAdjustmentRecord'));
    expect(stored).toMatchObject({
      fileName: 'constancia-negativa-ajustes-2026-T2-SAL.pdf',
      contentType: 'application/pdf',
      kind: 'noAdjustmentRecord',
      reviewWorkflowId: 'revision-2026-T2/SAL',
    });
    // The stored file is the rendering of the data it certifies (with the number, format and issuer it was given).
    const certified = JSON.parse(readPdf(stored?.content as Buffer).attachments.get(CERTIFIED_DATA_FILE_NAME)?.toString('utf8') ?? '{}') as { data: NoAdjustmentRecordInput };
    expect(certified.data).toMatchObject({ recordNumber: constancia.recordNumber, format: { code: 'PE-P-008-F01', version: '01', versionId: null }, escudo: null });
    expect(stored?.content.equals(await renderNoAdjustmentRecord(certified.data))).toBe(true);

    const doc = await storeJustificationAndCommitment(handle.db, justification(2));
    expect(doc.created).toBe(true);
    expect(doc.id).not.toBe(constancia.id);
    expect(documentFileName('justificationAndCommitment', { fiscalYear: 2026, quarter: 2, departmentCode: 'SAL' })).toBe(
      'justificacion-y-compromiso-2026-T2-SAL.pdf',
    );
    const [{ count } = { count: 0 }] = await handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(t.documents)
      .where(eq(t.documents.reviewWorkflowId, 'revision-2026-T2/SAL'));
    expect(count).toBeGreaterThanOrEqual(2);
  });

  test('numbers each issued record per series and year: printed on it, gapless under concurrency, never reissued', async () => {
    // Issued in 2031 (office time), a year no other test of this database issues records in.
    const issue = (reviewWorkflowId: string, departmentCode = 'SAL') =>
      storeNoAdjustmentRecord(handle.db, {
        ...noAdjustment(1),
        reviewWorkflowId,
        department: { ...review.department, code: departmentCode },
        recordedAt: '2031-01-01T04:30:00.000Z',
      });
    const first = await issue('numbering-first');
    expect(first.recordNumber).toBe('PE-P-008-CNA-2030-0001'); // 23:30 on 31 December in Bogotá
    const sequence = (n: string | null | undefined) => Number(/-(\d{4})$/.exec(n ?? '')?.[1]);

    const later = (i: number) => ({ ...noAdjustment(1), reviewWorkflowId: `numbering-${i}`, recordedAt: '2031-03-01T15:00:00.000Z' });
    // Ten records at once, and the same record issued five times at once (one file, one number).
    const [distinct, repeated] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, (_, i) => storeNoAdjustmentRecord(handle.db, later(i)))),
      Promise.all(Array.from({ length: 5 }, () => storeNoAdjustmentRecord(handle.db, later(99)))),
    ]);
    expect(new Set(repeated.map((r) => r.id)).size).toBe(1);
    expect(new Set(repeated.map((r) => r.recordNumber)).size).toBe(1);
    expect(repeated.filter((r) => r.created)).toHaveLength(1);
    const issued = [...distinct.map((r) => r.recordNumber), repeated[0]?.recordNumber];
    expect(issued.every((n) => /^PE-P-008-CNA-2031-\d{4}$/.test(n ?? ''))).toBe(true);
    expect(issued.map(sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    // Issuing an existing record again takes no number; the next record continues the series.
    expect((await storeNoAdjustmentRecord(handle.db, later(3))).recordNumber).toBe(distinct[3]?.recordNumber);
    expect((await storeNoAdjustmentRecord(handle.db, later(11))).recordNumber).toBe('PE-P-008-CNA-2031-0012');
    // Another series counts on its own.
    expect((await storeJustificationAndCommitment(handle.db, { ...justification(2), reviewWorkflowId: 'numbering-agreement', recordedAt: '2031-03-02T15:00:00.000Z' })).recordNumber).toBe(
      'PE-P-008-JYC-2031-0001',
    );

    // The number is printed on the record and kept with it.
    const stored = await readDocumentByKey(handle.db, documentKey('numbering-5', 'noAdjustmentRecord'));
    expect((await pdfText(stored?.content as Buffer)).join('\n')).toMatch(new RegExp(`Consecutivo\\s+${distinct[5]?.recordNumber}`));
  });
});
