import { z } from 'zod';
import { AppError } from '../domain/errors';
import { type ColumnChoice, IGNORE, IGNORE_LABEL } from './columnMappings';
import { type ColumnSpec, normalizeHeader, spanishList } from './headers';
import { planColumns } from './indicativePlan';
import { progressColumns } from './progressReport';
import type { ImportKind } from './store';

/** The fields an operator may map a column to (their Spanish labels), and the validation of the choices. */

const specsOf = (kind: ImportKind): readonly ColumnSpec<string>[] => (kind === 'indicativePlan' ? planColumns : progressColumns);

/** The choices offered for a kind: each field's Spanish label, and "No importar". */
export function fieldOptions(kind: ImportKind): { field: string; label: string }[] {
  return [...specsOf(kind).map((s) => ({ field: s.field, label: s.label })), { field: IGNORE, label: IGNORE_LABEL }];
}

export const fieldLabel = (kind: ImportKind, field: string) => fieldOptions(kind).find((o) => o.field === field)?.label ?? field;

/** A field by its label or identifier, any case or accents ("Ejecutado", "ejecutado", "no importar"). */
function fieldOf(kind: ImportKind, written: string): string | null {
  const key = normalizeHeader(written);
  const option = fieldOptions(kind).find((o) => normalizeHeader(o.label) === key || normalizeHeader(o.field) === key);
  return option?.field ?? (key === 'ignorar' ? IGNORE : null);
}

/** The choices as given (form or `--map`), validated: each names a header and a known field, each header once. */
export function columnChoicesSchema(kind: ImportKind) {
  const valid = () => spanishList(fieldOptions(kind).map((o) => `"${o.label}"`));
  const choice = z
    .object({
      header: z.string({ message: 'falta el encabezado' }).trim().min(1, 'falta el encabezado (antes del "=")').max(200, 'el encabezado es demasiado largo'),
      field: z.string({ message: 'falta el campo' }).trim().min(1, 'falta el campo (después del "=")').max(200),
    })
    .transform((c, ctx) => {
      const field = fieldOf(kind, c.field);
      if (!field) {
        ctx.addIssue({ code: 'custom', path: ['field'], message: `el campo "${c.field}" no existe; campos válidos: ${valid()}` });
        return z.NEVER;
      }
      return { header: c.header, field };
    });
  return z.array(choice).max(200, 'demasiadas columnas en el mapeo').superRefine((choices, ctx) => {
    const seen = new Set<string>();
    for (const c of choices) {
      const key = normalizeHeader(c.header);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `el encabezado "${c.header}" aparece dos veces en el mapeo` });
      seen.add(key);
    }
  });
}

/** `Encabezado=campo` (the last "=" separates them: a header may contain "="). */
export const mapArgumentSchema = z
  .string()
  .regex(/^.+=.+$/s, 'use la forma "Encabezado=campo", p. ej. --map "Avance ejecutado T3=Ejecutado"')
  .transform((text) => {
    const at = text.lastIndexOf('=');
    return { header: text.slice(0, at), field: text.slice(at + 1) };
  });

/** Parses and validates the choices; a Spanish AppError (400) naming each problem otherwise. */
export function parseColumnChoices(kind: ImportKind, input: unknown): ColumnChoice[] {
  const raw = Array.isArray(input) ? input : input === undefined || input === null ? [] : [input];
  const pairs = raw.map((item) => (typeof item === 'string' ? mapArgumentSchema.safeParse(item) : { success: true as const, data: item }));
  const badFormat = pairs.flatMap((p, i) => (p.success ? [] : [`Mapeo ${i + 1} ("${String(raw[i])}"): ${p.error.issues[0]?.message}`]));
  if (badFormat.length) throw new AppError('invalid_input', 'El mapeo de columnas no es válido', badFormat);
  const parsed = columnChoicesSchema(kind).safeParse(pairs.map((p) => (p.success ? p.data : null)));
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => {
      const index = typeof issue.path[0] === 'number' ? issue.path[0] : null;
      const header = index === null ? null : (pairs[index]?.data as ColumnChoice | undefined)?.header;
      return header ? `Columna "${header}": ${issue.message}` : issue.message;
    });
    throw new AppError('invalid_input', `El mapeo de columnas no es válido: ${details[0]}`, details);
  }
  return parsed.data;
}

