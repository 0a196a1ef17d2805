import Holidays from 'date-holidays';
import type { ResponseWindow } from './responseWindow';

const colombia = new Holidays('CO');
const holidayCache = new Map<number, Set<string>>();

/** Colombian public holidays of a year as YYYY-MM-DD strings (date-holidays keeps the legal list). */
function publicHolidays(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(
      colombia
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(year, set);
  }
  return set;
}

export function isBusinessDay(isoDate: string): boolean {
  const date = new Date(`${isoDate}T12:00:00Z`);
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(date.getUTCFullYear()).has(isoDate);
}

/** The calendar date `days` business days after `isoDate` (the start date itself does not count). */
export function addBusinessDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  let remaining = days;
  while (remaining > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (isBusinessDay(date.toISOString().slice(0, 10))) remaining--;
  }
  return date.toISOString().slice(0, 10);
}

/** The local calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The instant at which a local date ends (23:59:59.999) in a time zone. */
export function endOfLocalDay(isoDate: string, timeZone: string): Date {
  const guess = new Date(`${isoDate}T23:59:59.999Z`);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(guess);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'), 999);
  return new Date(guess.getTime() - (asUtc - guess.getTime()));
}

/** Business days from a local date to the deadline's local date (0 = the deadline is today). */
export function businessDaysBetween(fromDate: string, toDate: string): number {
  let days = 0;
  let cursor = fromDate;
  while (cursor < toDate) {
    cursor = addBusinessDays(cursor, 1);
    if (cursor <= toDate) days++;
  }
  return days;
}

/**
 * The instants to remind at: the start (08:00 local) of the business day that is `n` business days
 * before the deadline's day, for each n; past instants and duplicates are dropped.
 */
export function reminderInstants(deadline: string, businessDaysBefore: number[], now: Date, timeZone: string): string[] {
  const deadlineDay = localDate(new Date(deadline), timeZone);
  const instants = businessDaysBefore.map((n) => {
    let day = deadlineDay;
    let remaining = n;
    while (remaining > 0) {
      const previous = new Date(`${day}T12:00:00Z`);
      previous.setUTCDate(previous.getUTCDate() - 1);
      day = previous.toISOString().slice(0, 10);
      if (isBusinessDay(day)) remaining--;
    }
    return startOfLocalBusinessDay(day, timeZone);
  });
  return [...new Set(instants)].filter((i) => Date.parse(i) > now.getTime() && Date.parse(i) < Date.parse(deadline)).sort();
}

/** 08:00 local time of a date, as an ISO instant. */
function startOfLocalBusinessDay(isoDate: string, timeZone: string): string {
  const guess = new Date(`${isoDate}T08:00:00Z`);
  const local = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(guess);
  const hour = Number(local.find((p) => p.type === 'hour')?.value);
  const minute = Number(local.find((p) => p.type === 'minute')?.value);
  return new Date(guess.getTime() - ((hour - 8) * 60 + minute) * 60_000).toISOString();
}

/**
 * The deadline of a response window opened at `from`: business days end at midnight of the last
 * day in the office's time zone (holidays skipped); clock windows (drills, tests) add their length.
 */
export function responseDeadline(window: ResponseWindow, from: Date, timeZone: string): string {
  if (window.unit === 'milliseconds') return new Date(from.getTime() + window.amount).toISOString();
  return endOfLocalDay(addBusinessDays(localDate(from, timeZone), window.amount), timeZone).toISOString();
}
