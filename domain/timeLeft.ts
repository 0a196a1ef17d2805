import { isBusinessDay, localDate } from './businessDays';

/**
 * The countdown of the response form, in the words people use ("quedan 2 días hábiles", "quedan 5
 * minutos"). The server renders it and server/assets/responseForm.js updates it each minute with the
 * same rule (test/responseFormScript.test.ts holds both to it); the script cannot know Colombian
 * holidays, so the page hands it the business days up to the deadline (businessDatesUntil).
 */

/** Business days (YYYY-MM-DD) after `now`'s local day up to the deadline's local day (at most `max`). */
export function businessDatesUntil(deadline: string, now: Date, timeZone: string, max = 60): string[] {
  const last = localDate(new Date(deadline), timeZone);
  const dates: string[] = [];
  const cursor = new Date(`${localDate(now, timeZone)}T12:00:00Z`);
  while (dates.length < max) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const day = cursor.toISOString().slice(0, 10);
    if (day > last) break;
    if (isBusinessDay(day)) dates.push(day);
  }
  return dates;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? `queda 1 ${one}` : `quedan ${n} ${many}`);

/** What is left until the deadline; `businessDates` as businessDatesUntil gives them. */
export function timeLeftWords(deadline: string, now: Date, timeZone: string, businessDates: readonly string[]): string {
  const ms = Date.parse(deadline) - now.getTime();
  if (!(ms > 0)) return 'el plazo venció';
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return plural(minutes, 'minuto', 'minutos');
  const today = localDate(now, timeZone);
  const deadlineDay = localDate(new Date(deadline), timeZone);
  const days = businessDates.filter((d) => d > today && d <= deadlineDay).length;
  if (days >= 1) return plural(days, 'día hábil', 'días hábiles');
  const hours = Math.floor(ms / 3_600_000);
  if (deadlineDay === today) return `vence hoy: ${plural(hours, 'hora', 'horas')}`;
  if (hours < 48) return plural(hours, 'hora', 'horas');
  return plural(Math.floor(ms / 86_400_000), 'día', 'días');
}
