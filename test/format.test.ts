import {
  businessDaysText,
  entityName,
  fileNamePart,
  formatDate,
  formatDateTime,
  formatFullDateTime,
  formatMegabytes,
  formatNumber,
  formatPercent,
  formatShare,
  formatShortDateTime,
  parseTimestamp,
  percentToShare,
  quarterLabel,
  quarterTitle,
} from '../domain/format';

// Non-breaking space, as Intl and the RAE put it before "%" and inside "a. m.".
const nbsp = '\u00a0';
const words = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers as Colombians write them', () => {
  it('groups thousands with "." and writes decimals with ","', () => {
    expect(formatNumber(19000)).toBe('19.000');
    expect(formatNumber(3.5)).toBe('3,5');
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatNumber(1_000_000_000_000)).toBe('1.000.000.000.000');
    expect(formatNumber(0.125)).toBe('0,13');
  });

  it('writes a dash where there is no value', () => {
    for (const none of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(formatNumber(none)).toBe('—');
    expect(formatPercent(null)).toBe('—');
    expect(formatShare(undefined)).toBe('—');
  });

  it('writes percentages with one decimal and a non-breaking space, from percents or shares alike', () => {
    expect(formatPercent(87.456)).toBe(`87,5${nbsp}%`);
    expect(formatShare(0.87456)).toBe(`87,5${nbsp}%`);
    expect(formatShare(percentToShare(98.947368421))).toBe(`98,9${nbsp}%`);
    expect(formatPercent(1234)).toBe(`1.234${nbsp}%`);
    expect(percentToShare(98.947368421)).toBe(0.98947368421);
  });

  it('counts business days and megabytes', () => {
    expect(businessDaysText(1)).toBe('1 día hábil');
    expect(businessDaysText(5)).toBe('5 días hábiles');
    expect(formatMegabytes(1.5 * 1024 * 1024)).toBe('1,5 MB');
    expect(formatMegabytes(10 * 1024 * 1024)).toBe('10 MB');
  });
});

describe('dates in the office time zone', () => {
  // 04:59 UTC on 28 July is 23:59 of 27 July in Bogotá (UTC−5).
  const lastMinute = '2026-07-28T04:59:00Z';

  it('writes the local date, not the UTC one', () => {
    expect(formatDate(lastMinute)).toBe('27 de julio de 2026');
    expect(formatDate(new Date(lastMinute), 'UTC')).toBe('28 de julio de 2026');
  });

  it('writes records and spreadsheets on a 24-hour clock', () => {
    expect(formatDateTime(lastMinute)).toBe('27 de julio de 2026 a las 23:59');
    expect(formatDateTime('2026-08-05T05:00:00Z')).toBe('5 de agosto de 2026 a las 00:00');
  });

  it('writes e-mail deadlines in full, naming the time zone', () => {
    expect(words(formatFullDateTime(lastMinute))).toBe('lunes, 27 de julio de 2026, 11:59 p. m. (hora estándar de Colombia)');
  });

  it('writes page tables briefly, with a dash for no instant', () => {
    expect(words(formatShortDateTime(lastMinute))).toBe('27/07/2026, 11:59 p. m.');
    expect(formatShortDateTime(null)).toBe('—');
  });

  it('refuses an unreadable date instead of printing "Invalid Date"', () => {
    expect(() => formatDate('ayer')).toThrow(/Fecha inválida/);
    expect(parseTimestamp('ayer')).toBeNull();
    expect(parseTimestamp('2026-07-01 15:04:05.123+00')?.toISOString()).toBe('2026-07-01T15:04:05.123Z');
  });
});

describe('names and titles', () => {
  it('names quarters by their months', () => {
    expect(quarterLabel(3)).toBe('T3 (julio a septiembre)');
    expect(quarterTitle(2026, 1)).toBe('Vigencia 2026 · Trimestre 1 (T1: enero a marzo)');
  });

  it('names the entity as letterheads do', () => {
    expect(entityName(' Pasto ')).toBe('Alcaldía de Pasto');
    expect(entityName('Distrito de Santa Marta')).toBe('Distrito de Santa Marta');
  });

  it('keeps only safe characters in file names', () => {
    expect(fileNamePart('22/01 006 á')).toBe('22-01-006');
    expect(fileNamePart('///')).toBe('sin-codigo');
  });
});
