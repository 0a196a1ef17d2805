import fs from 'node:fs';
import path from 'node:path';
import { createHarness, eventually, createTestApp, type Harness, type TestApp } from './support/harness';

const sample = (name: string) => fs.readFileSync(path.join(__dirname, '..', 'samples', name));

/**
 * What a planning office does by hand with the shipped samples: import the Plan Indicativo and
 * the Hoja de Captura into an empty installation, then run the quarter's review on that data.
 */
describe('imports over HTTP, from the shipped samples to a running cycle', () => {
  let h: Harness;
  let admin: TestApp['admin'];
  beforeAll(async () => {
    h = await createHarness({ fiscalYear: 2026, seed: async () => undefined });
    ({ admin } = await createTestApp(h));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('imports the sample Plan Indicativo and Hoja de Captura, all or nothing, and then reviews 2026 T3', async () => {
    const plan = await admin
      .post('/api/imports/indicative-plan?fileName=plan-indicativo-ejemplo.xlsx')
      .set('content-type', 'application/octet-stream')
      .send(sample('plan-indicativo-ejemplo.xlsx'))
      .expect(200);
    expect(plan.body.unchanged).toBe(false);
    expect(plan.body.goalsAdded).toHaveLength(12);
    expect(plan.body.departmentsAdded.sort()).toEqual(['SEDU', 'SINF', 'SSAL']);

    // The CSV of the same plan changes nothing.
    const again = await admin
      .post('/api/imports/indicative-plan?fileName=plan-indicativo-ejemplo.csv')
      .set('content-type', 'text/csv')
      .send(sample('plan-indicativo-ejemplo.csv'))
      .expect(200);
    expect(again.body.unchanged).toBe(true);

    const progress = await admin
      .post('/api/imports/progress-report?fileName=hoja-de-captura-ejemplo.xlsx')
      .set('content-type', 'application/octet-stream')
      .send(sample('hoja-de-captura-ejemplo.xlsx'))
      .expect(200);
    expect(progress.body.progressVersionsCreated).toBe(36);

    // A broken file: every error listed, nothing written.
    const broken = Buffer.from(sample('hoja-de-captura-ejemplo.csv').toString('utf8').replace(/\r\n([^;\r\n]+);2026;T1;/, '\r\nNO-EXISTE;2026;T5;'));
    const rejected = await admin
      .post('/api/imports/progress-report?fileName=roto.csv')
      .set('content-type', 'text/csv')
      .send(broken)
      .expect(400);
    expect(rejected.body.error.message).toMatch(/no se importó nada/);
    expect(rejected.body.error.details.join(' ')).toMatch(/NO-EXISTE/);
    expect(rejected.body.error.details.join(' ')).toMatch(/Trimestre/);
    const missingName = await admin.post('/api/imports/progress-report').send(Buffer.from('x')).expect(400);
    expect(missingName.body.error.message).toMatch(/nombre del archivo/);

    // Thresholds configured for the plan (validated) are the ones the next cycle classifies with.
    const badThresholds = await admin.put('/api/plan/thresholds').send({ behindBelowPercent: 'noventa', overachievedAbovePercent: 50 }).expect(400);
    expect(badThresholds.body.error.details.join(' ')).toMatch(/umbral de atrasada.*debe ser un número/);
    expect(badThresholds.body.error.details.join(' ')).toMatch(/al menos 100/);
    await admin.put('/api/plan/thresholds').send({ behindBelowPercent: 95, overachievedAbovePercent: 110 }).expect(200);
    expect((await admin.get('/api/plan/thresholds').expect(200)).body).toEqual({ behindBelowPercent: 95, overachievedAbovePercent: 110 });

    // The quarter's review runs on the imported data.
    const started = await admin.post('/api/cycles').send({ fiscalYear: 2026, quarter: 3, window: '5m' }).expect(201);
    const status = await eventually(
      async () => {
        const body = (await admin.get(`/api/cycles/${started.body.workflowId}`).expect(200)).body;
        return body.cycle.phase === 'reviewing' && body.reviews.length === body.cycle.departments.length ? body : undefined;
      },
      { what: 'the cycle on imported data' },
    );
    expect(status.cycle.goals).toHaveLength(12);
    const history = await h.client.workflow.getHandle(started.body.workflowId).fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    expect(JSON.parse(Buffer.from(input as Uint8Array).toString('utf8')).thresholds).toEqual({ behindBelowPercent: 95, overachievedAbovePercent: 110 });
    const dashboard = await admin.get('/api/dashboard?year=2026&quarter=3').expect(200);
    expect(dashboard.body.source).toBe('cycle');
    const flagged = dashboard.body.goals.filter((g: { status: string }) => ['notStarted', 'behind', 'overachieved', 'noReport'].includes(g.status));
    expect(status.reviews.flatMap((r: { goals: unknown[] }) => r.goals)).toHaveLength(flagged.length);
  });
});
