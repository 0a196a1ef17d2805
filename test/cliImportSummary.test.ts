import { describeCorrection, describeProgrammingChange, plural } from '../scripts/cli/importSummary';

/** The CLI's import summaries read as Spanish, not as JSON. */
describe('metas import summaries', () => {
  it('words corrections and programming changes in Colombian numbers, and counts in singular or plural', () => {
    expect(describeCorrection({ goalCode: '2201006-01', fiscalYear: 2026, quarter: 1, before: 19195, after: 19200.5 })).toBe('2201006-01 (2026 T1): 19.195 → 19.200,5');
    expect(describeProgrammingChange({ goalCode: '220100600', fiscalYear: 2027, before: null, after: 1200 })).toBe('220100600 (2027): sin programar → 1.200');
    expect(describeProgrammingChange({ goalCode: '220100600', fiscalYear: 2026, before: 10, after: 12 })).toBe('220100600 (2026): 10 → 12');
    expect(plural(1, 'registro nuevo', 'registros nuevos')).toBe('1 registro nuevo');
    expect(plural(0, 'versión de programación', 'versiones de programación')).toBe('0 versiones de programación');
    expect(plural(1500, 'registro nuevo', 'registros nuevos')).toBe('1.500 registros nuevos');
  });
});
