import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from './errors';
import { identitySourceLabels, type IdentitySource } from '../domain/municipality';

/**
 * The municipality this installation serves (name and DANE code): set by an administrator (page or
 * API), by the configuration (MUNICIPALITY_NAME, MUNICIPALITY_DANE_CODE) or, when neither did, taken
 * from the Plan Indicativo's title rows ("MUNICIPIO DE PASTO – NARIÑO", "Código DANE: 52001").
 * Pages, exports and documents name it through plans.municipality, kept equal to it.
 */

export { identitySourceLabels, type IdentitySource };
export interface MunicipalityIdentity {
  name: string;
  daneCode: string;
  source: IdentitySource;
  updatedAt: string;
}

const IDENTITY_ID = 1;

export const daneCodeSchema = z
  .string({ message: 'el código DANE es obligatorio' })
  .trim()
  .regex(/^\d{5}$/, 'el código DANE del municipio tiene 5 dígitos (p. ej. 52001 para Pasto)');

export const identitySchema = z.object({
  name: z
    .string({ message: 'el nombre del municipio es obligatorio' })
    .trim()
    .min(2, 'el nombre del municipio debe tener al menos 2 caracteres')
    .max(120, 'el nombre del municipio debe tener a lo sumo 120 caracteres'),
  daneCode: daneCodeSchema,
});
export type IdentityInput = z.infer<typeof identitySchema>;

export function parseIdentity(input: unknown): IdentityInput {
  const parsed = identitySchema.safeParse(input);
  if (!parsed.success) {
    const labels: Record<string, string> = { name: 'Nombre', daneCode: 'Código DANE' };
    const details = parsed.error.issues.map((i) => `${labels[String(i.path[0])] ?? 'Municipio'}: ${i.message}`);
    throw new AppError('invalid_input', `Los datos del municipio no son válidos: ${details[0]}`, details);
  }
  return parsed.data;
}

type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export async function readIdentity(db: Executor): Promise<MunicipalityIdentity | null> {
  const [row] = await db.select().from(t.municipalityIdentity).where(eq(t.municipalityIdentity.id, IDENTITY_ID));
  return row ? { name: row.name, daneCode: row.daneCode, source: row.source, updatedAt: row.updatedAt } : null;
}

/**
 * Records the identity and names the plan with it. A plan already imported for another DANE code
 * refuses it (the plan's goals are that municipality's).
 */
export async function saveIdentity(db: Executor, input: IdentityInput, source: IdentitySource, actor: string): Promise<MunicipalityIdentity> {
  const [plan] = await db.select({ daneCode: t.plans.daneCode, municipality: t.plans.municipality }).from(t.plans).limit(1);
  if (plan && plan.daneCode !== input.daneCode) {
    throw new AppError(
      'invalid_input',
      `El Plan Indicativo importado es del municipio con código DANE ${plan.daneCode} (${plan.municipality}); el código ${input.daneCode} no corresponde a ese plan`,
      [`Código DANE: debe ser ${plan.daneCode}, el del plan importado`],
    );
  }
  const values = { id: IDENTITY_ID, name: input.name, daneCode: input.daneCode, source, updatedBy: actor };
  await db
    .insert(t.municipalityIdentity)
    .values(values)
    .onConflictDoUpdate({ target: t.municipalityIdentity.id, set: { name: values.name, daneCode: values.daneCode, source, updatedBy: actor, updatedAt: sql`now()` } });
  if (plan) await db.update(t.plans).set({ municipality: input.name });
  forgetMunicipalityName();
  return (await readIdentity(db))!;
}

/**
 * At start: the configured identity is recorded unless an administrator set one on the page (the
 * page is the later, deliberate choice). A wrong configuration is told in the log, not fatal.
 */
export async function applyConfiguredIdentity(db: Database, configured: IdentityInput | null, log: (message: string) => void = console.error): Promise<void> {
  if (!configured) return;
  const current = await readIdentity(db);
  if (current?.source === 'page') return;
  if (current && current.name === configured.name && current.daneCode === configured.daneCode && current.source === 'config') return;
  try {
    await saveIdentity(db, configured, 'config', 'configuración');
  } catch (error) {
    log(`MUNICIPALITY_NAME / MUNICIPALITY_DANE_CODE no se aplicaron: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// ---------------------------------------------------------------- from the file's title rows

const lowerWords = new Set(['de', 'del', 'la', 'las', 'los', 'el', 'y', 'e']);
/** "SAN JUAN DE PASTO" → "San Juan de Pasto"; a name already in mixed case is kept. */
function titleCase(text: string): string {
  if (text !== text.toLocaleUpperCase('es-CO')) return text;
  return text
    .toLocaleLowerCase('es-CO')
    .split(/\s+/)
    .map((word, i) => (i > 0 && lowerWords.has(word) ? word : word.charAt(0).toLocaleUpperCase('es-CO') + word.slice(1)))
    .join(' ');
}

/**
 * The municipality named in the rows above the header, if any: "MUNICIPIO DE PASTO – NARIÑO",
 * "Alcaldía Municipal de Pasto", "Código DANE: 52001". The department after a dash is not part of the name.
 */
export function identityFromTitles(lines: readonly string[]): { name: string | null; daneCode: string | null } {
  let name: string | null = null;
  let daneCode: string | null = null;
  for (const line of lines) {
    const text = line.replace(/\s+/g, ' ').trim();
    const code = /c[oó]d(?:igo|\.)?\s*(?:del?\s+)?(?:municipio\s+)?dane\s*(?:del?\s+municipio)?\s*[:.#-]?\s*(\d{4,5})\b/i.exec(text) ?? /\bdane\s*[:#-]?\s*(\d{4,5})\b/i.exec(text);
    if (code && !daneCode) daneCode = code[1]!.padStart(5, '0');
    const named = /\b(?:alcald[ií]a\s+(?:municipal\s+)?de|municipio\s+de|distrito\s+(?:especial\s+)?(?:[\p{L}]+\s+)*?de)\s+([\p{L}][\p{L} .'’]*?)(?=\s*(?:[–—-]|,|\(|\||\bc[oó]d|\bdane\b|$))/iu.exec(text);
    if (named && !name) name = titleCase(named[1]!.trim());
  }
  return { name, daneCode };
}

// ---------------------------------------------------------------- for page headers

let municipalityNameCache = new WeakMap<Database, { name: string | null; at: number }>();
const NAME_CACHE_MS = 5000;

/** The name pages show in their header; read at most every few seconds per process (and database). */
export async function municipalityName(db: Database): Promise<string | null> {
  const cached = municipalityNameCache.get(db);
  if (cached && Date.now() - cached.at < NAME_CACHE_MS) return cached.name;
  const identity = await readIdentity(db);
  let name = identity?.name ?? null;
  if (!name) {
    const [plan] = await db.select({ municipality: t.plans.municipality }).from(t.plans).limit(1);
    name = plan && !/^Municipio \d{5}$/.test(plan.municipality) ? plan.municipality : null;
  }
  municipalityNameCache.set(db, { name, at: Date.now() });
  return name;
}

/** After the plan import (or the page) named the municipality, pages show it at once. */
export const forgetMunicipalityName = () => {
  municipalityNameCache = new WeakMap();
};

// ---------------------------------------------------------------- the Plan Indicativo import

/** What the plan import found and decided about the municipality (shown in the preview). */
export interface MunicipalityReport {
  /** As read in the file's title rows (null: nothing found). */
  found: { name: string | null; daneCode: string | null } | null;
  /** The name the plan will carry, and its DANE code (the plan's). */
  name: string | null;
  daneCode: string;
  /** Where the name comes from once imported. */
  source: IdentitySource | null;
  /** The import will record the name found in the file as the municipality's. */
  willSave: boolean;
}

/**
 * The municipality for a plan being imported, from its title rows and what is recorded. A title
 * code or a recorded identity of another municipality is an error (returned as a Spanish message).
 */
export async function identityForPlan(
  db: Executor,
  titles: readonly string[],
  planDaneCode: string,
): Promise<{ report: MunicipalityReport; error: string | null }> {
  const found = identityFromTitles(titles);
  const stored = await readIdentity(db);
  const report = (name: string | null, source: IdentitySource | null, willSave: boolean): MunicipalityReport => ({
    found: found.name || found.daneCode ? found : null,
    name,
    daneCode: planDaneCode,
    source,
    willSave,
  });
  if (found.daneCode && found.daneCode !== planDaneCode) {
    return {
      report: report(null, null, false),
      error: `Los títulos del archivo dicen código DANE ${found.daneCode}, pero la columna "Código DANE" dice ${planDaneCode}; corrija uno de los dos`,
    };
  }
  if (stored && stored.daneCode !== planDaneCode) {
    return {
      report: report(stored.name, stored.source, false),
      error: `Esta instalación es del municipio ${stored.name} (código DANE ${stored.daneCode}, según ${identitySourceLabels[stored.source]}); el archivo es del código DANE ${planDaneCode}`,
    };
  }
  // A name set by an administrator (page or configuration) is kept; one read from an earlier file is updated.
  if (stored && stored.source !== 'file') return { report: report(stored.name, stored.source, false), error: null };
  if (found.name && found.name !== stored?.name) return { report: report(found.name, 'file', true), error: null };
  return { report: report(stored?.name ?? null, stored?.source ?? null, false), error: null };
}
