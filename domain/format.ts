import type { Quarter } from './goals';

/**
 * Colombian (es-CO) formatting of numbers and dates, the one place pages, e-mails, PDFs and
 * spreadsheets take them from: thousands with '.', decimals with ',' (19.000 · 3,5), a dash where
 * there is no value, and every date in the office's time zone.
 */

/** The office works in Colombian time; every date printed is local to it unless a plan says otherwise. */
export const DEFAULT_TIME_ZONE = 'America/Bogota';

/** Where there is no value. */
export const NO_VALUE = '—';

const numberFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 1 });

const isNumber = (value: number | null | undefined): value is number => value !== null && value !== undefined && Number.isFinite(value);

/** 1234.5 → "1.234,5" (at most two decimals); a dash when there is no value. */
export const formatNumber = (value: number | null | undefined): string => (isNumber(value) ? numberFormat.format(value) : NO_VALUE);

/** 87.456 → "87,5 %" (a non-breaking space before the sign, as the RAE writes it); a dash when there is no value. */
export const formatPercent = (percent: number | null | undefined): string =>
  isNumber(percent) ? `${percentFormat.format(percent)}\u00a0%` : NO_VALUE;

/** A share (0.875) as a percentage ("87,5 %"); a dash when there is none. */
export const formatShare = (share: number | null | undefined): string => (isNumber(share) ? formatPercent(share * 100) : NO_VALUE);

/** A percentage (98.947368421) as a share (0.98947368421) without float noise (0.9894736842099999). */
export const percentToShare = (percent: number | null) => (percent === null ? null : Math.round(percent * 1e9) / 1e11);

/** 1572864 → "1,5 MB" (one decimal at most). */
export const formatMegabytes = (bytes: number): string => `${formatNumber(Number((bytes / (1024 * 1024)).toFixed(1)))} MB`;

/** "1 día hábil", "3 días hábiles". */
export const businessDaysText = (days: number): string => (days === 1 ? '1 día hábil' : `${formatNumber(days)} días hábiles`);

const quarterMonths: Record<Quarter, string> = {
  1: 'enero a marzo',
  2: 'abril a junio',
  3: 'julio a septiembre',
  4: 'octubre a diciembre',
};

/** "T3 (julio a septiembre)". */
export function quarterLabel(quarter: number): string {
  const months = quarterMonths[quarter as Quarter] as string | undefined;
  return months ? `T${quarter} (${months})` : `T${quarter}`;
}

/** "Vigencia 2026 · Trimestre 3 (T3: julio a septiembre)": the title of reports and records. */
export const quarterTitle = (fiscalYear: number, quarter: Quarter) =>
  `Vigencia ${fiscalYear} · Trimestre ${quarter} (T${quarter}: ${quarterMonths[quarter]})`;

/** "Revisión trimestral 2026 · T3": how pages, e-mails and the CLI name a quarter's review cycle. */
export const cycleTitle = (fiscalYear: number, quarter: number) => `Revisión trimestral ${fiscalYear} · T${quarter}`;

/** A timestamp as stored by PostgreSQL ('2026-07-01 15:04:05.123+00') or ISO; null when unreadable. */
export function parseTimestamp(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const toDate = (value: string | Date): Date => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`Fecha inválida: ${String(value)}`);
  return date;
};

/** Building an Intl.DateTimeFormat costs more than a whole table row: one per style and time zone. */
const formats = new Map<string, Intl.DateTimeFormat>();
function cached(style: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${style} ${timeZone}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat('es-CO', { ...options, timeZone })));
  return format;
}

/** "20 de octubre de 2026". */
export const formatDate = (value: string | Date, timeZone = DEFAULT_TIME_ZONE): string =>
  cached('date', timeZone, { day: 'numeric', month: 'long', year: 'numeric' }).format(toDate(value));

/**
 * "20 de octubre de 2026 a las 23:59": records (PDF and text) and spreadsheets. A 24-hour clock, so
 * a deadline at the end of the day never reads "12:00 a. m." of the next one.
 */
export const formatDateTime = (value: string | Date, timeZone = DEFAULT_TIME_ZONE): string =>
  cached('dateTime', timeZone, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    toDate(value),
  );

/** "3/12/2026, 10:23 a. m." for tables and status lines of pages; a dash when there is no instant. */
export function formatShortDateTime(value: string | Date | null | undefined, timeZone = DEFAULT_TIME_ZONE): string {
  if (value === null || value === undefined || value === '') return NO_VALUE;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(date) : cached('short', timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** The time zone's long name in Spanish ("hora estándar de Colombia"), or the IANA name if ICU has none. */
export function timeZoneLabel(value: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  const part = cached('zone', timeZone, { timeZoneName: 'long' })
    .formatToParts(toDate(value))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/**
 * "martes, 20 de octubre de 2026, 11:59 p. m. (hora estándar de Colombia)": deadlines and instants
 * in e-mails, which people read far from the office and must not misread.
 */
export function formatFullDateTime(value: string | Date, timeZone = DEFAULT_TIME_ZONE): string {
  const date = toDate(value);
  return `${cached('full', timeZone, { dateStyle: 'full', timeStyle: 'short' }).format(date)} (${timeZoneLabel(date, timeZone)})`;
}

/** Names the entity the way Colombian letterheads do ("Alcaldía de Pasto") unless it already does. */
export const entityName = (municipality: string): string =>
  /^(alcald[ií]a|municipio|distrito|gobernaci[oó]n)\b/i.test(municipality.trim()) ? municipality.trim() : `Alcaldía de ${municipality.trim()}`;

/** File names carry codes typed by people: only safe characters survive. */
export const fileNamePart = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'sin-codigo';

const inputNumberFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 9 });

/** A value to put back in a form's input as a person would type it ("19.000", "3,333"): every decimal kept. */
export const formatNumberForInput = (value: number | null | undefined): string => (isNumber(value) ? inputNumberFormat.format(value) : '');
