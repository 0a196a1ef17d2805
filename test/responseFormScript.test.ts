import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { businessDatesUntil, timeLeftWords } from '../domain/timeLeft';
import { typedNumber } from '../server/responseForm';

/**
 * server/assets/responseForm.js reads numbers and words the countdown in the browser; it must say
 * what the server will do. Its rules run here, in a bare context (no document), against the
 * server's own functions.
 */
interface ScriptRules {
  parseNumber(text: string): { ok: true; value: number } | { ok: false; ambiguous: boolean };
  timeLeftWords(deadline: string, now: Date, timeZone: string, businessDates: string[]): string;
}

const loadRules = (): ScriptRules => {
  const source = readFileSync(path.join(__dirname, '..', 'server', 'assets', 'responseForm.js'), 'utf8');
  const module = { exports: {} as ScriptRules };
  vm.runInNewContext(source, { module, Intl, Date, Math, Number, String, isFinite });
  return module.exports;
};

describe('the response form script holds to the server rules', () => {
  const rules = loadRules();

  test.each([
    ['19.000', 19000],
    ['19000', 19000],
    ['3,5', 3.5],
    ['1.234,56', 1234.56],
    ['3.5', 3.5],
    ['0,25', 0.25],
    [' 1.000.000 ', 1000000],
  ])('reads %s as %d, as the server does', (text, value) => {
    expect(rules.parseNumber(text)).toEqual({ ok: true, value });
    expect(typedNumber(text)).toBe(value);
  });

  it('calls 1.234.5 ambiguous and "diez" no number, both refused by the server', () => {
    expect(rules.parseNumber('1.234.5')).toEqual({ ok: false, ambiguous: true });
    expect(rules.parseNumber('diez')).toEqual({ ok: false, ambiguous: false });
    expect(typedNumber('1.234.5')).toBeNaN();
    expect(typedNumber('diez')).toBeNaN();
  });

  it('agrees with the server on every short string of digits, separators, signs and spaces', () => {
    // Every string of up to 5 characters over this alphabet, and some longer ones built from it.
    const alphabet = ['1', '0', '5', '.', ',', ' ', '-', '%'];
    let texts = [''];
    const all: string[] = [];
    for (let length = 1; length <= 5; length++) {
      texts = texts.flatMap((t) => alphabet.map((c) => t + c));
      all.push(...texts);
    }
    all.push('12.345.678,9', '1,234.5', '1 234 567,5', '−3,5', '+4', '0.500', '1.23', '12.5', '123.456', '1234.567', '1.2345');
    const disagreements = all.filter((text) => {
      const script = rules.parseNumber(text);
      const server = typedNumber(text);
      return script.ok ? !Object.is(script.value, server) : !Number.isNaN(server) && text.trim() !== '';
    });
    expect(disagreements).toEqual([]);
  });

  it('words the countdown as the server does, from minutes to business days', () => {
    const zone = 'America/Bogota';
    // Thursday 3 December 2026, 09:00 in Bogotá; Tuesday 8 December is a holiday (Inmaculada Concepción).
    const now = new Date('2026-12-03T14:00:00Z');
    const cases: [string, string][] = [
      ['2026-12-03T14:05:00Z', 'quedan 5 minutos'],
      ['2026-12-03T14:00:30Z', 'queda 1 minuto'],
      ['2026-12-03T13:00:00Z', 'el plazo venció'],
      ['2026-12-04T04:59:59Z', 'vence hoy: quedan 14 horas'],
      ['2026-12-05T04:59:59Z', 'queda 1 día hábil'],
      ['2026-12-08T04:59:59Z', 'quedan 2 días hábiles'],
      ['2026-12-10T04:59:59Z', 'quedan 3 días hábiles'],
    ];
    for (const [deadline, words] of cases) {
      const dates = businessDatesUntil(deadline, now, zone);
      expect({ deadline, server: timeLeftWords(deadline, now, zone, dates) }).toEqual({ deadline, server: words });
      expect({ deadline, script: rules.timeLeftWords(deadline, now, zone, dates) }).toEqual({ deadline, script: words });
    }
  });
});
