import { DEFAULT_TIME_ZONE } from '../domain/format';

export interface RenderOptions {
  /** When the file is produced (printed in it); injectable so tests are deterministic. */
  generatedAt?: Date;
  timeZone?: string;
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
