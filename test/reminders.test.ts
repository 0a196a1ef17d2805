import { businessDaysBetween, reminderInstants } from '../domain/businessDays';

describe('reminders in business days (Colombian holidays)', () => {
  const deadline = '2026-12-11T04:59:59.999Z'; // end of 2026-12-10 in Bogotá

  it('counts back over weekends and holidays, at 08:00 local time', () => {
    // 8 December (Inmaculada Concepción) is a public holiday; 5–6 December a weekend.
    expect(reminderInstants(deadline, [5, 1], new Date('2026-11-25T12:00:00Z'), 'America/Bogota')).toEqual([
      '2026-12-02T13:00:00.000Z',
      '2026-12-09T13:00:00.000Z',
    ]);
  });

  it('drops reminders already in the past and duplicates', () => {
    expect(reminderInstants(deadline, [5, 1, 1], new Date('2026-12-05T00:00:00Z'), 'America/Bogota')).toEqual(['2026-12-09T13:00:00.000Z']);
    expect(reminderInstants(deadline, [1], new Date('2026-12-10T00:00:00Z'), 'America/Bogota')).toEqual([]);
  });

  it('tells the business days left until the deadline', () => {
    expect(businessDaysBetween('2026-12-02', '2026-12-10')).toBe(5);
    expect(businessDaysBetween('2026-12-09', '2026-12-10')).toBe(1);
    expect(businessDaysBetween('2026-12-10', '2026-12-10')).toBe(0);
  });
});
