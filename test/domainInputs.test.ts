import path from 'node:path';
import { ConfigError, loadConfig } from '../config/index';
import { addBusinessDays, endOfLocalDay, isBusinessDay, localDate } from '../domain/businessDays';
import {
  deadlineExtensionSchema,
  decisionSchema,
  describeIssues,
  describeSubmissionIssues,
  goalAnswerSchema,
  responseSubmissionSchema,
} from '../domain/review';
import { MAX_PLAN_VALUE } from '../domain/numbers';
import { checkTermTarget } from '../domain/termTarget';
import { describeResponseWindow, parseResponseWindow } from '../domain/responseWindow';

describe('parseResponseWindow', () => {
  it.each([
    ['10d', { unit: 'businessDays', amount: 10 }],
    ['48h', { unit: 'milliseconds', amount: 48 * 3_600_000 }],
    ['2m', { unit: 'milliseconds', amount: 120_000 }],
    ['30s', { unit: 'milliseconds', amount: 30_000 }],
    [' 10d ', { unit: 'businessDays', amount: 10 }],
  ] as const)('accepts %j', (text, window) => {
    expect(parseResponseWindow(text)).toEqual({ ok: true, window });
  });

  it.each(['0d', '00h', '0s'])('rejects a zero window %j with a Spanish message', (text) => {
    expect(parseResponseWindow(text)).toEqual({ ok: false, message: 'el plazo debe ser mayor que cero' });
  });

  it.each(['10x', '', 'diez días', '1.5d', '-1d', '10D', '10000d', 'd'])('rejects %j with a Spanish message quoting it', (text) => {
    const parsed = parseResponseWindow(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain(`plazo "${text}" inválido`);
    expect(parsed.message).toContain('días hábiles');
  });

  it('describes windows in Spanish', () => {
    expect(describeResponseWindow({ unit: 'businessDays', amount: 10 })).toBe('10 días hábiles');
    expect(describeResponseWindow({ unit: 'milliseconds', amount: 120_000 })).toBe('2 minutos');
    expect(describeResponseWindow({ unit: 'milliseconds', amount: 30_000 })).toBe('30 segundos');
  });
});

describe('business days (Colombia)', () => {
  it('10 business days after Monday 2026-10-05 is 2026-10-20 (a weekend and Día de la Raza skipped)', () => {
    expect(addBusinessDays('2026-10-05', 10)).toBe('2026-10-20');
  });

  it('skips a weekend and a Colombian holiday', () => {
    expect(isBusinessDay('2026-10-10')).toBe(false); // Saturday
    expect(isBusinessDay('2026-10-11')).toBe(false); // Sunday
    expect(isBusinessDay('2026-10-12')).toBe(false); // Monday, Día de la Raza (public holiday)
    expect(isBusinessDay('2026-10-13')).toBe(true);
    expect(addBusinessDays('2026-10-09', 1)).toBe('2026-10-13');
  });

  it('does not count the start date and crosses the year boundary over New Year', () => {
    expect(addBusinessDays('2026-10-05', 0)).toBe('2026-10-05');
    expect(addBusinessDays('2026-10-05', 1)).toBe('2026-10-06');
    expect(isBusinessDay('2027-01-01')).toBe(false);
    expect(addBusinessDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it("endOfLocalDay('2026-10-20', 'America/Bogota') is 2026-10-21T04:59:59.999Z", () => {
    expect(endOfLocalDay('2026-10-20', 'America/Bogota').toISOString()).toBe('2026-10-21T04:59:59.999Z');
  });

  it('localDate gives the Bogotá calendar date of an instant', () => {
    expect(localDate(new Date('2026-10-21T04:59:59.999Z'), 'America/Bogota')).toBe('2026-10-20');
    expect(localDate(new Date('2026-10-21T05:00:00.000Z'), 'America/Bogota')).toBe('2026-10-21');
  });
});

describe('review schemas', () => {
  const keep = {
    goalCode: 'M-1.2.3',
    action: 'keep',
    justification: 'La contratación se firmó en marzo.',
    commitment: 'Entregar el 50 % al cierre del segundo trimestre.',
  };
  const reprogram = {
    goalCode: 'M-1.2.3',
    action: 'reprogram',
    justification: 'El recorte presupuestal obliga a mover la meta.',
    commitment: 'Concentrar la ejecución en el segundo semestre.',
    newQuarterlyTargets: [0, 10, 20.5, 30],
  };

  const issuesOf = (result: { success: boolean; error?: Parameters<typeof describeIssues>[0] }) =>
    result.success || !result.error ? [] : describeIssues(result.error);

  it('accepts a valid "keep" answer and a valid "reprogram" answer', () => {
    expect(goalAnswerSchema.parse(keep)).toEqual(keep);
    expect(goalAnswerSchema.parse(reprogram)).toEqual(reprogram);
  });

  it('trims text fields', () => {
    const parsed = goalAnswerSchema.parse({ ...keep, justification: `   ${keep.justification}   ` });
    expect(parsed.justification).toBe(keep.justification);
  });

  it('rejects a missing justification with a message naming the field', () => {
    const { justification: _omitted, ...withoutJustification } = keep;
    const result = goalAnswerSchema.safeParse(withoutJustification);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([['justification']]);
    expect(issuesOf(result)).toEqual(['justification: justificación: es obligatorio']);
  });

  it('rejects a justification that is too short once trimmed', () => {
    const result = goalAnswerSchema.safeParse({ ...keep, justification: '   corta   ' });
    expect(issuesOf(result)).toEqual(['justification: justificación: escriba al menos 10 caracteres']);
  });

  const range = 'debe ser un número finito entre 0 y 1.000.000.000.000';

  it('rejects a negative target, naming the quarter', () => {
    const result = goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets: [10, -1, 20, 30] });
    expect(issuesOf(result)).toEqual([`newQuarterlyTargets.1: ${range}`]);
  });

  it('rejects non-finite or non-numeric targets and a missing or short programming', () => {
    expect(issuesOf(goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets: [1, Number.NaN, Number.POSITIVE_INFINITY, '4'] }))).toEqual([
      `newQuarterlyTargets.1: ${range}`,
      `newQuarterlyTargets.2: ${range}`,
      `newQuarterlyTargets.3: ${range}`,
    ]);
    for (const newQuarterlyTargets of [undefined, [1, 2, 3]]) {
      const issues = issuesOf(goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets }));
      expect(issues).toEqual(['newQuarterlyTargets: nueva programación: indique los cuatro valores trimestrales']);
    }
  });

  it('holds every target to the shared limit: 0 to 10^12 inclusive, 1e308 and -0.1 refused', () => {
    expect(goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets: [MAX_PLAN_VALUE, 0, 0, 0] }).success).toBe(true);
    expect(issuesOf(goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets: [1e308, 0, MAX_PLAN_VALUE + 1, -0.1] }))).toEqual([
      `newQuarterlyTargets.0: ${range}`,
      `newQuarterlyTargets.2: ${range}`,
      `newQuarterlyTargets.3: ${range}`,
    ]);
    expect(issuesOf(goalAnswerSchema.safeParse({ ...reprogram, futureAnnualTargets: { '2031': 1e308 } }))).toEqual([`futureAnnualTargets.2031: ${range}`]);
  });

  it('checks the sums too: four quarters, and the year with the later years, stay within 10^12', () => {
    const quarter = MAX_PLAN_VALUE / 2;
    expect(issuesOf(goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets: [quarter, quarter, 0, 0] }))).toEqual([]);
    expect(issuesOf(goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets: [quarter, quarter, 1, 0] }))).toEqual([
      'newQuarterlyTargets: la suma de los cuatro trimestres (1.000.000.000.001) supera el máximo de 1.000.000.000.000',
    ]);
    expect(
      issuesOf(goalAnswerSchema.safeParse({ ...reprogram, newQuarterlyTargets: [quarter, 0, 0, 0], futureAnnualTargets: { '2031': quarter, '2032': 1 } })),
    ).toEqual(['futureAnnualTargets: la suma de la vigencia y las vigencias siguientes (1.000.000.000.001) supera el máximo de 1.000.000.000.000']);
  });

  it('names the goal and the quarter of a refused submission', () => {
    const submission = {
      respondent: { name: 'María Fernanda Guerrero' },
      answers: [keep, { ...reprogram, goalCode: '2402002-01', newQuarterlyTargets: [1, 2, 1e308, 4], futureAnnualTargets: { '2031': -1 } }],
    };
    const result = responseSubmissionSchema.safeParse(submission);
    expect(result.success).toBe(false);
    expect(describeSubmissionIssues(result.error!, submission)).toEqual([
      `Meta 2402002-01, nueva programación T3: ${range}`,
      `Meta 2402002-01, programación de la vigencia 2031: ${range}`,
    ]);
  });

  it('the term check refuses a programming whose term total goes over the limit', () => {
    const term = { accumulation: 'sum' as const, termTarget: 400, annualTargets: [2030, 2031, 2032, 2033].map((fiscalYear) => ({ fiscalYear, annualTarget: 100 })) };
    expect(checkTermTarget('M-1', term, { fiscalYear: 2030, newQuarterlyTargets: [25, 25, 25, 25] })).toMatchObject({ ok: true, altersTermTarget: false });
    expect(checkTermTarget('M-1', term, { fiscalYear: 2030, newQuarterlyTargets: [MAX_PLAN_VALUE, 0, 0, 0] })).toEqual({
      ok: false,
      message: 'Meta M-1: la programación del cuatrienio (1.000.000.000.300) supera el máximo de 1.000.000.000.000',
    });
    expect(checkTermTarget('M-1', term, { fiscalYear: 2030, newQuarterlyTargets: [0, 0, 0, 0], futureAnnualTargets: { '2031': Number.POSITIVE_INFINITY } })).toEqual({
      ok: false,
      message: `Meta M-1: la programación de 2031 ${range}`,
    });
  });

  it('rejects an unknown action with a message explaining both options', () => {
    const issues = issuesOf(goalAnswerSchema.safeParse({ ...keep, action: 'delete' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^action: .*"reprogram".*"keep"/);
  });

  it('a submission lists every problem, each naming its field', () => {
    const result = responseSubmissionSchema.safeParse({ respondent: { name: 'Jo', email: 'no-es-correo' }, answers: [] });
    expect(issuesOf(result)).toEqual([
      'respondent.name: nombre de quien responde: escriba al menos 3 caracteres',
      'respondent.email: correo de quien responde: no es un correo válido',
      'answers: respuestas: responda al menos una meta',
    ]);
    expect(
      responseSubmissionSchema.safeParse({ respondent: { name: 'Secretaría de Salud' }, answers: [keep, reprogram] }).success,
    ).toBe(true);
  });

  it('decisions and extensions validate their response window', () => {
    expect(decisionSchema.safeParse({ decision: 'approve', coordinator: 'Ana María' }).success).toBe(true);
    expect(
      decisionSchema.safeParse({ decision: 'requestChanges', coordinator: 'Ana María', comment: 'Precise el cronograma.', window: '5d' }).success,
    ).toBe(true);
    expect(
      issuesOf(decisionSchema.safeParse({ decision: 'requestChanges', coordinator: 'Ana María', comment: 'Precise el cronograma.', window: '10x' })),
    ).toEqual(['window: plazo inválido: use por ejemplo 10d, 48h, 2m o 30s']);
    expect(deadlineExtensionSchema.safeParse({ coordinator: 'Ana María', reason: 'Cierre contable de la secretaría', window: '48h' }).success).toBe(true);
    expect(issuesOf(deadlineExtensionSchema.safeParse({ coordinator: 'Ana María', reason: 'Cierre contable', window: '0d' }))).toEqual([
      'window: plazo inválido: use por ejemplo 10d, 48h, 2m o 30s',
    ]);
  });
});

describe('loadConfig', () => {
  it('has sensible defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.TZ).toBe('America/Bogota');
    expect(config.RESPONSE_WINDOW).toBe('10d');
    expect(config.TEMPORAL_NAMESPACE).toBe('metas-pdm');
    expect(config.TEMPORAL_TASK_QUEUE).toBe('metas-pdm');
    expect(config.NODE_ENV).toBe('development');
    expect(config.embeddedTemporal).toBe(true);
    expect(config.temporalAddress).toBe('127.0.0.1:7233');
    expect(config.thresholds).toEqual({ behindBelowPercent: 90, overachievedAbovePercent: 100 });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.TEMPORAL_TLS).toBe(false);
    expect(config.LOAD_DEMO_DATA).toBe(true);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', TZ: '', TEMPORAL_ADDRESS: '' });
    expect(config.PORT).toBe(3000);
    expect(config.TZ).toBe('America/Bogota');
    expect(config.embeddedTemporal).toBe(true);
  });

  it('reads values and derived settings', () => {
    const config = loadConfig({
      PORT: '8080',
      BEHIND_BELOW_PERCENT: '95',
      OVERACHIEVED_ABOVE_PERCENT: '110',
      LOAD_DEMO_DATA: 'no',
      TEMPORAL_TLS: 'yes',
      RESPONSE_WINDOW: '48h',
    });
    expect(config.PORT).toBe(8080);
    expect(config.thresholds).toEqual({ behindBelowPercent: 95, overachievedAbovePercent: 110 });
    expect(config.LOAD_DEMO_DATA).toBe(false);
    expect(config.TEMPORAL_TLS).toBe(true);
    expect(config.RESPONSE_WINDOW).toBe('48h');
    expect(config.publicUrl).toBe('http://localhost:8080');
  });

  it('TEMPORAL_ADDRESS set → embeddedTemporal false and that address used', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.municipio.gov.co:7233' });
    expect(config.embeddedTemporal).toBe(false);
    expect(config.temporalAddress).toBe('temporal.municipio.gov.co:7233');
  });

  function configError(env: NodeJS.ProcessEnv): ConfigError {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('loadConfig did not throw');
  }

  it('several bad variables at once → one ConfigError listing every problem', () => {
    const error = configError({
      PORT: 'ochenta',
      TZ: 'Marte/Base',
      RESPONSE_WINDOW: '10x',
      TEMPORAL_TLS: 'quizás',
      BEHIND_BELOW_PERCENT: '-5',
      TEMPORAL_ADDRESS: 'sin-puerto',
      DATABASE_URL: 'mysql://u:p@h:3306/db',
    });
    expect(error.name).toBe('ConfigError');
    const variables = error.problems.map((p) => p.split(':')[0]).sort();
    expect(variables).toEqual(
      ['BEHIND_BELOW_PERCENT', 'DATABASE_URL', 'PORT', 'RESPONSE_WINDOW', 'TEMPORAL_ADDRESS', 'TEMPORAL_TLS', 'TZ'].sort(),
    );
    for (const problem of error.problems) expect(error.message).toContain(problem);
    expect(error.message).toMatch(/^Configuración inválida:/);
  });

  it('cross-variable rules: production needs APP_SECRET, TLS certificate and key go together', () => {
    const error = configError({ NODE_ENV: 'production', TEMPORAL_TLS_CERT_PATH: '/etc/temporal/cert.pem' });
    expect(error.problems).toEqual([
      'APP_SECRET: es obligatorio en producción',
      'TEMPORAL_TLS_CERT_PATH: TEMPORAL_TLS_CERT_PATH y TEMPORAL_TLS_KEY_PATH van juntos',
    ]);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        APP_SECRET: 'x'.repeat(32),
        TEMPORAL_TLS_CERT_PATH: '/etc/temporal/cert.pem',
        TEMPORAL_TLS_KEY_PATH: '/etc/temporal/key.pem',
      }),
    ).not.toThrow();
  });

  it('a bad variable does not hide the cross-variable problems (every problem at the same time)', () => {
    const error = configError({ PORT: 'ochenta', NODE_ENV: 'production', TEMPORAL_TLS_CERT_PATH: '/etc/temporal/cert.pem' });
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['APP_SECRET', 'PORT', 'TEMPORAL_TLS_CERT_PATH']);
  });
});
