import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { officialTermTargets } from '../db/termTargets';
import { readDocument, storeDocument } from '../documents/store';
import { sha256Hex } from '../documents/canonicalJson';
import { DEFAULT_TIME_ZONE, formatDate, formatNumber } from '../domain/format';
import { describeUnsafeInput, findUnsafeInput, sizeWords } from '../domain/inputText';
import { isPlanValue, MAX_PLAN_VALUE_TEXT } from '../domain/numbers';
import { describeIssues } from '../domain/review';
import { parseNumber } from '../imports/numbers';
import { inScope, type Scope } from '../auth/scope';
import { localDate } from '../domain/businessDays';
import { AppError } from './errors';

/**
 * Acuerdos del Concejo (Ley 152 de 1994): only the Concejo changes a meta cuatrienio. The Oficina
 * de Planeación registers each acuerdo (número, fecha, the signed PDF) for a goal with its new meta
 * cuatrienio; registering it adds a version of the goal's official term target (goal_term_targets),
 * never overwriting the plan's. A liaison's reprogramming that changes the meta cuatrienio names a
 * registered acuerdo by its ID. Everything here is insert-only.
 */

/** The signed PDF's size cap (a scanned acuerdo of a few pages). */
export const MAX_COUNCIL_PDF_BYTES = 10 * 1024 * 1024;

export interface CouncilAgreement {
  id: number;
  number: string;
  date: string;
  goalCode: string;
  goalName: string;
  departmentCode: string;
  termTarget: number;
  previousTermTarget: number;
  version: number;
  documentId: number;
  fileName: string;
  sha256: string;
  registeredBy: string;
  createdAt: string;
  /** "Acuerdo 012 del 15 de marzo de 2026": how answers and records name it. */
  label: string;
}

/** Today in Colombia (after 19:00 the UTC date is already tomorrow's). */
const today = () => localDate(new Date(), DEFAULT_TIME_ZONE);

/** The fields of a registration (multipart form or API), each refused with its name. */
export const councilAgreementFieldsSchema = z.object({
  number: z
    .string({ message: 'número del acuerdo: es obligatorio' })
    .trim()
    .min(1, { message: 'número del acuerdo: es obligatorio', abort: true })
    .max(40, 'número del acuerdo: máximo 40 caracteres')
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./-]*$/u, 'número del acuerdo: use letras, números, punto, guion o barra (p. ej. 012 o 012-2026)'),
  date: z.iso
    .date({ message: 'fecha del acuerdo: use el formato AAAA-MM-DD, p. ej. 2026-03-15' })
    .refine((d) => d <= today(), 'fecha del acuerdo: no puede ser posterior a hoy'),
  goalCode: z.string({ message: 'meta: indique el código de la meta' }).trim().min(1, 'meta: indique el código de la meta').max(60, 'meta: máximo 60 caracteres'),
  /** Typed as in Colombia (19.000 · 3,5); a JSON number is taken as is. */
  termTarget: z.union([z.string(), z.number()], { message: 'nueva meta cuatrienio: es obligatoria' }).transform((value, ctx) => {
    const parsed = typeof value === 'number' ? { ok: Number.isFinite(value), value } : parseNumber(value, 'es');
    if (!parsed.ok || !('value' in parsed) || !isPlanValue(parsed.value)) {
      ctx.addIssue({ code: 'custom', message: `nueva meta cuatrienio: ${typeof value === 'string' && value.trim() === '' ? 'es obligatoria' : `escriba un número entre 0 y ${MAX_PLAN_VALUE_TEXT}, como 19.000 o 3,5`}` });
      return z.NEVER;
    }
    return parsed.value;
  }),
});

const fieldLabels = { number: 'número del acuerdo', date: 'fecha del acuerdo', goalCode: 'meta', termTarget: 'nueva meta cuatrienio' };

export interface CouncilAgreementUpload {
  fields: unknown;
  pdf: { fileName?: string; content?: Buffer } | null | undefined;
}

/** A PDF starts with "%PDF-" (ISO 32000); anything else is refused whatever its name says. */
const isPdf = (content: Buffer) => content.subarray(0, 5).toString('latin1') === '%PDF-';

export const agreementLabel = (number: string, date: string) => `Acuerdo ${number} del ${formatDate(`${date}T12:00:00-05:00`)}`;

/** Checks the upload: the fields by name, then the file (present, a PDF by its first bytes, within the cap). */
export function checkCouncilAgreementUpload(upload: CouncilAgreementUpload) {
  const unsafe = findUnsafeInput(upload.fields ?? {});
  if (unsafe) throw new AppError('invalid_input', 'El acuerdo del Concejo tiene errores', [describeUnsafeInput(unsafe, (path) => fieldLabels[String(path[0]) as keyof typeof fieldLabels] ?? String(path[0] ?? ""))]);
  const parsed = councilAgreementFieldsSchema.safeParse(upload.fields ?? {});
  if (!parsed.success) throw new AppError('invalid_input', 'El acuerdo del Concejo tiene errores', describeIssues(parsed.error, fieldLabels));
  const content = upload.pdf?.content;
  if (!content || content.length === 0) throw new AppError('invalid_input', 'El acuerdo del Concejo tiene errores', ['PDF del acuerdo: adjunte el archivo PDF firmado']);
  if (content.length > MAX_COUNCIL_PDF_BYTES) {
    throw new AppError('invalid_input', `PDF del acuerdo: el archivo pesa más de ${sizeWords(MAX_COUNCIL_PDF_BYTES)}, el máximo`, [], 413);
  }
  if (!isPdf(content)) {
    throw new AppError('invalid_input', 'El acuerdo del Concejo tiene errores', ['PDF del acuerdo: el archivo no es un PDF (debe empezar por %PDF); adjunte el acuerdo escaneado o firmado en PDF']);
  }
  const fileName = (upload.pdf?.fileName ?? '').replace(/[^A-Za-z0-9 ._-]/g, '_').slice(0, 120) || 'acuerdo.pdf';
  return { ...parsed.data, content, fileName: /\.pdf$/i.test(fileName) ? fileName : `${fileName}.pdf` };
}

/**
 * Registers an acuerdo and the goal's new official meta cuatrienio (the next version), with the PDF
 * and an audit entry, in one transaction.
 */
export async function registerCouncilAgreement(db: Database, upload: CouncilAgreementUpload, actor: string): Promise<CouncilAgreement> {
  const checked = checkCouncilAgreementUpload(upload);
  const id = await db.transaction(async (tx) => {
    const [goal] = await tx.select({ code: t.goals.code, termTarget: t.goals.termTarget }).from(t.goals).where(eq(t.goals.code, checked.goalCode));
    if (!goal) throw new AppError('invalid_input', 'El acuerdo del Concejo tiene errores', [`meta: no existe la meta ${checked.goalCode}`]);
    const [taken] = await tx
      .select({ id: t.councilAgreements.id })
      .from(t.councilAgreements)
      .where(and(eq(t.councilAgreements.number, checked.number), eq(t.councilAgreements.agreementDate, checked.date)));
    if (taken) throw new AppError('conflict', `El ${agreementLabel(checked.number, checked.date)} ya está registrado`);
    const sha256 = sha256Hex(checked.content);
    const document = await storeDocument(tx, {
      documentKey: `council-agreement:${checked.number}:${checked.date}:${sha256}`,
      kind: 'councilAgreement',
      reviewWorkflowId: null,
      fileName: checked.fileName,
      contentType: 'application/pdf',
      render: async () => checked.content,
    });
    const [agreement] = await tx
      .insert(t.councilAgreements)
      .values({ number: checked.number, agreementDate: checked.date, documentId: document.id, registeredBy: actor })
      .returning({ id: t.councilAgreements.id });
    const agreementId = (agreement as { id: number }).id;
    // Two acuerdos for the same goal at once: the second waits here and takes the next version.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`goal-term-target:${goal.code}`}))`);
    const [latest] = await tx
      .select({ version: t.goalTermTargets.version, termTarget: t.goalTermTargets.termTarget })
      .from(t.goalTermTargets)
      .where(eq(t.goalTermTargets.goalCode, goal.code))
      .orderBy(desc(t.goalTermTargets.version))
      .limit(1);
    const version = (latest?.version ?? 0) + 1;
    await tx.insert(t.goalTermTargets).values({
      goalCode: goal.code,
      version,
      termTarget: checked.termTarget,
      previousTermTarget: latest?.termTarget ?? goal.termTarget,
      councilAgreementId: agreementId,
      createdBy: actor,
    });
    await tx.insert(t.auditLog).values({
      idempotencyKey: `council-agreement:${agreementId}`,
      actor,
      action: 'councilAgreement.registered',
      subject: `goal:${goal.code}`,
      details: { councilAgreementId: agreementId, number: checked.number, date: checked.date, termTarget: checked.termTarget, version, documentId: document.id, sha256 },
    });
    return agreementId;
  });
  return (await listCouncilAgreements(db, { kind: 'all' }, { id })).at(0) as CouncilAgreement;
}

/** Registered acuerdos, newest first, as the scope may read them (a liaison: its department's goals). */
export async function listCouncilAgreements(db: Database, scope: Scope, filter: { id?: number; goalCodes?: readonly string[] } = {}): Promise<CouncilAgreement[]> {
  const conditions = [
    filter.id === undefined ? undefined : eq(t.councilAgreements.id, filter.id),
    filter.goalCodes ? inArray(t.goalTermTargets.goalCode, filter.goalCodes.length ? [...filter.goalCodes] : ['']) : undefined,
    scope.kind === 'department' ? eq(t.goals.departmentCode, scope.departmentCode ?? '') : undefined,
  ].filter((c) => c !== undefined);
  const rows = await db
    .select({
      id: t.councilAgreements.id,
      number: t.councilAgreements.number,
      date: t.councilAgreements.agreementDate,
      goalCode: t.goalTermTargets.goalCode,
      goalName: t.goals.name,
      departmentCode: t.goals.departmentCode,
      termTarget: t.goalTermTargets.termTarget,
      previousTermTarget: t.goalTermTargets.previousTermTarget,
      version: t.goalTermTargets.version,
      documentId: t.councilAgreements.documentId,
      fileName: t.documents.fileName,
      sha256: t.documents.sha256,
      registeredBy: t.councilAgreements.registeredBy,
      createdAt: t.councilAgreements.createdAt,
    })
    .from(t.councilAgreements)
    .innerJoin(t.goalTermTargets, eq(t.goalTermTargets.councilAgreementId, t.councilAgreements.id))
    .innerJoin(t.goals, eq(t.goals.code, t.goalTermTargets.goalCode))
    .innerJoin(t.documents, sql`${t.documents.id} = ${t.councilAgreements.documentId}`)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(t.councilAgreements.id));
  return rows.map((r) => ({ ...r, label: agreementLabel(r.number, r.date) }));
}

/** One acuerdo, or a 404 that says nothing more when it is missing or outside the scope. */
export async function readCouncilAgreement(db: Database, id: number, scope: Scope): Promise<CouncilAgreement> {
  const [agreement] = await listCouncilAgreements(db, scope, { id });
  if (!agreement || !inScope(scope, agreement.departmentCode)) throw new AppError('not_found', `No existe el acuerdo del Concejo ${id}`);
  return agreement;
}

/** The acuerdo's PDF as registered. */
export async function councilAgreementPdf(db: Database, id: number, scope: Scope) {
  const agreement = await readCouncilAgreement(db, id, scope);
  const document = await readDocument(db, agreement.documentId);
  if (!document) throw new AppError('not_found', `No existe el acuerdo del Concejo ${id}`);
  return document;
}

/** The official meta cuatrienio of a goal and its versions (the plan's, then each acuerdo's); a liaison sees only its department's goals. */
export async function goalTermTargetVersions(db: Database, goalCode: string, scope: Scope) {
  const [goal] = await db.select({ termTarget: t.goals.termTarget, departmentCode: t.goals.departmentCode }).from(t.goals).where(eq(t.goals.code, goalCode));
  if (!goal || !inScope(scope, goal.departmentCode)) throw new AppError('not_found', `No existe la meta ${goalCode}`);
  const official = (await officialTermTargets(db, [goalCode])).get(goalCode) ?? goal.termTarget;
  const versions = await db.select().from(t.goalTermTargets).where(eq(t.goalTermTargets.goalCode, goalCode)).orderBy(t.goalTermTargets.version);
  return { planTermTarget: goal.termTarget, officialTermTarget: official, versions };
}

/** Every active goal with its official meta cuatrienio, for the registration form. */
export async function goalsWithTermTargets(db: Database): Promise<{ code: string; name: string; officialTermTarget: number }[]> {
  const [goals, official] = await Promise.all([
    db.select({ code: t.goals.code, name: t.goals.name, termTarget: t.goals.termTarget }).from(t.goals).where(eq(t.goals.active, true)).orderBy(t.goals.code),
    officialTermTargets(db),
  ]);
  return goals.map((g) => ({ code: g.code, name: g.name, officialTermTarget: official.get(g.code) ?? g.termTarget }));
}

/** Of a goal's acuerdos, the one in force: the latest version of its meta cuatrienio. */
const inForce = (agreements: readonly CouncilAgreement[]) =>
  agreements.filter((a) => !agreements.some((b) => b.goalCode === a.goalCode && b.version > a.version));

/** The acuerdo in force for each of these goals, as the response form's select offers it. */
export async function councilAgreementChoices(db: Database, goalCodes: readonly string[]): Promise<{ id: number; goalCode: string; label: string }[]> {
  const agreements = inForce(await listCouncilAgreements(db, { kind: 'all' }, { goalCodes }));
  return agreements.map((a) => ({ id: a.id, goalCode: a.goalCode, label: `${a.label}: meta cuatrienio ${formatNumber(a.termTarget)}` }));
}

interface AnswerWithAgreement {
  goalCode?: unknown;
  action?: unknown;
  councilAgreementId?: unknown;
  councilAgreement?: unknown;
  councilAgreementTermTarget?: unknown;
}

/**
 * A submission whose reprogrammings name registered acuerdos: each ID must be an acuerdo registered
 * for that goal, and gets its name in words (what records and pages show). Free text in place of
 * an acuerdo is refused (answers stored before the registry keep theirs). Anything malformed is
 * left for the review's own validation, which words it by field.
 */
export async function resolveCouncilAgreements(db: Database, submission: unknown): Promise<unknown> {
  const answers = (submission as { answers?: unknown } | null)?.answers;
  if (!Array.isArray(answers)) return submission;
  const problems: string[] = [];
  const ids = answers.map((a: AnswerWithAgreement) => a?.councilAgreementId).filter((id): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id > 0);
  const registered = ids.length ? await listCouncilAgreements(db, { kind: 'all' }, {}) : [];
  const resolved = answers.map((sent: AnswerWithAgreement) => {
    if (!sent || typeof sent !== 'object' || sent.action !== 'reprogram') return sent;
    // The acuerdo's meta cuatrienio is the registry's to say, never the sender's.
    const { councilAgreementTermTarget: _ignored, ...answer } = sent;
    const goal = `Meta ${String(answer.goalCode ?? '').slice(0, 60)}`;
    if (answer.councilAgreementId === undefined) {
      if (answer.councilAgreement !== undefined) problems.push(`${goal}, acuerdo del Concejo: elija un acuerdo registrado por la Oficina de Planeación (ya no se escribe a mano)`);
      return answer;
    }
    if (typeof answer.councilAgreementId !== 'number') return answer;
    const agreement = registered.find((a) => a.id === answer.councilAgreementId && a.goalCode === answer.goalCode);
    if (!agreement) {
      problems.push(`${goal}, acuerdo del Concejo: el acuerdo ${answer.councilAgreementId} no está registrado para esta meta`);
      return answer;
    }
    if (!inForce(registered.filter((a) => a.goalCode === agreement.goalCode)).includes(agreement)) {
      problems.push(`${goal}, acuerdo del Concejo: el ${agreement.label} ya no es el vigente para esta meta (otro acuerdo registrado después fijó su meta cuatrienio); elija el vigente`);
      return answer;
    }
    // The review checks the new programming against the meta cuatrienio the acuerdo fixed.
    return { ...answer, councilAgreement: `${agreement.label} (meta cuatrienio ${formatNumber(agreement.termTarget)})`, councilAgreementTermTarget: agreement.termTarget };
  });
  if (problems.length) throw new AppError('invalid_input', 'La respuesta tiene errores', problems);
  return { ...(submission as object), answers: resolved };
}
