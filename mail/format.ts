/** Colombian (es-CO) formatting of dates and numbers for e-mails, always in the office's time zone. */

const numberFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 2 });

/** 1234.5 → "1.234,5"; a dash when there is no value. */
export const formatNumber = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : numberFormat.format(value);

/** 87.456 → "87,5 %"; a dash when there is no value. */
export const formatPercent = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : `${new Intl.NumberFormat('es-CO', { maximumFractionDigits: 1 }).format(value)}\u00a0%`;

const toDate = (value: string | Date): Date => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Fecha inválida para el correo: ${String(value)}`);
  return date;
};

/** "20 de octubre de 2026". */
export function formatLongDate(value: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('es-CO', { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(toDate(value));
}

/** The time zone's long name in Spanish ("hora estándar de Colombia"), or the IANA name if ICU has none. */
export function timeZoneLabel(value: string | Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('es-CO', { timeZone, timeZoneName: 'long' })
    .formatToParts(toDate(value))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** "martes, 20 de octubre de 2026, 11:59 p. m. (hora estándar de Colombia)". */
export function formatDateTime(value: string | Date, timeZone: string): string {
  const date = toDate(value);
  const text = new Intl.DateTimeFormat('es-CO', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(date);
  return `${text} (${timeZoneLabel(date, timeZone)})`;
}

/** "T3 (julio a septiembre)". */
export function quarterLabel(quarter: number): string {
  const months = ['enero a marzo', 'abril a junio', 'julio a septiembre', 'octubre a diciembre'][quarter - 1];
  return months ? `T${quarter} (${months})` : `T${quarter}`;
}

/** "1 día hábil", "3 días hábiles". */
export const businessDaysText = (days: number): string => (days === 1 ? '1 día hábil' : `${days} días hábiles`);

/** Names the entity the way Colombian letterheads do ("Alcaldía de Pasto") unless it already does. */
export const entityName = (municipality: string): string =>
  /^(alcald[ií]a|municipio|distrito|gobernaci[oó]n)\b/i.test(municipality.trim()) ? municipality.trim() : `Alcaldía de ${municipality.trim()}`;
