import type { Quarter } from '../domain/goals';

/** The office works in Colombian time; every date printed in a report is local to it. */
export const DEFAULT_TIME_ZONE = 'America/Bogota';

export interface RenderOptions {
  /** When the file is produced (printed in it); injectable so tests are deterministic. */
  generatedAt?: Date;
  timeZone?: string;
}

const quarterMonths: Record<Quarter, string> = {
  1: 'enero a marzo',
  2: 'abril a junio',
  3: 'julio a septiembre',
  4: 'octubre a diciembre',
};

export const quarterTitle = (fiscalYear: number, quarter: Quarter) =>
  `Vigencia ${fiscalYear} · Trimestre ${quarter} (T${quarter}: ${quarterMonths[quarter]})`;

export function formatDate(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('es-CO', { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

export function formatDateTime(date: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('es-CO', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** A timestamp as stored by PostgreSQL ('2026-07-01 15:04:05.123+00') or ISO; null when unreadable. */
export function parseTimestamp(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Excel dates have no time zone: the serial is written from the Date's UTC fields, so the local
 * wall-clock time is moved into them to show the office's time, not UTC.
 */
export function excelLocalDate(date: Date, timeZone = DEFAULT_TIME_ZONE): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const n = (key: string) => Number(parts[key] ?? 0);
  return new Date(Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')));
}

/** A percentage (98.947368421) as a share (0.98947368421) without float noise (0.9894736842099999). */
export const percentToShare = (percent: number | null) => (percent === null ? null : Math.round(percent * 1e9) / 1e11);

const numberFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 2 });
const percentFormat = new Intl.NumberFormat('es-CO', { style: 'percent', maximumFractionDigits: 1 });

/** A value for slides and titles in Colombian notation (1.234,5); a dash when there is none. */
export const formatNumber = (value: number | null) => (value === null ? '—' : numberFormat.format(value));
/** A share (0–1) as a Colombian percentage; a dash when there is none. */
export const formatShare = (share: number | null) => (share === null ? '—' : percentFormat.format(share));

/** File names carry codes typed by people: only safe characters survive. */
export const fileNamePart = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'sin-codigo';
