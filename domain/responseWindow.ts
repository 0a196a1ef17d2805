/**
 * How long a department has to answer an alert. Colombian deadlines are counted in business days
 * ("10d"); the clock units (h, m, s) exist for drills and tests.
 */
export type ResponseWindow =
  | { unit: 'businessDays'; amount: number }
  | { unit: 'milliseconds'; amount: number };

export type ParsedWindow = { ok: true; window: ResponseWindow } | { ok: false; message: string };

const CLOCK_UNITS_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const;

export function parseResponseWindow(text: string): ParsedWindow {
  const match = /^(\d{1,4})(d|h|m|s)$/.exec(text.trim());
  if (!match) {
    return { ok: false, message: `plazo "${text}" inválido: use por ejemplo 10d (días hábiles), 48h, 2m o 30s` };
  }
  const amount = Number(match[1]);
  if (amount <= 0) return { ok: false, message: 'el plazo debe ser mayor que cero' };
  const unit = match[2] as 'd' | keyof typeof CLOCK_UNITS_MS;
  if (unit === 'd') return { ok: true, window: { unit: 'businessDays', amount } };
  return { ok: true, window: { unit: 'milliseconds', amount: amount * CLOCK_UNITS_MS[unit] } };
}

export function describeResponseWindow(window: ResponseWindow): string {
  if (window.unit === 'businessDays') return `${window.amount} días hábiles`;
  const seconds = Math.round(window.amount / 1000);
  if (seconds % 3600 === 0) return `${seconds / 3600} horas`;
  return seconds % 60 === 0 ? `${seconds / 60} minutos` : `${seconds} segundos`;
}

/**
 * Reminder offsets before a deadline: "5,1" (business days) or windows such as "5d,1d,10s".
 * An empty text means no reminders.
 */
export function parseReminders(text: string): { ok: true; reminders: ResponseWindow[] } | { ok: false; message: string } {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const reminders: ResponseWindow[] = [];
  for (const part of parts) {
    const parsed = parseResponseWindow(/^\d+$/.test(part) ? `${part}d` : part);
    if (!parsed.ok) return { ok: false, message: `recordatorios: ${parsed.message}` };
    reminders.push(parsed.window);
  }
  return { ok: true, reminders };
}
