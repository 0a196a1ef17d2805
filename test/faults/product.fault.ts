/**
 * The fault suite (`npm run test:faults`): the real product, started with `npx tsx scripts/start.ts`
 * as a person starts it, is killed and broken the ways issue 12 lists, and must recover by itself.
 * One product (one DATA_DIR) lives through the whole file, in order: the tests build on its state.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerAll } from '../support/answers';
import { startSmtp, type TestSmtp } from '../support/smtpPeer';
import { fixtureDepartments, goal, planXlsx } from '../support/importFiles';
import type { CycleView, ReviewView } from '../../workflows/types';
import { resolveTemporalCli } from '../../temporal/cli';
import { findFreePort, startDevServer } from '../../temporal/devServer';
import type { DevServer } from '../../temporal/devServerTypes';
import { searchAttributeTypes } from '../../workflows/searchAttributes';
import { headerOf, isRunning, Product, until } from './product';
import { xlsxBomb } from '../support/zipBomb';

jest.setTimeout(300_000);

const ADMIN_EMAIL = 'admin.fallas@pasto.gov.co';
const ADMIN_PASSWORD = `clave-${randomUUID()}`;
const FISCAL_YEAR = 2026;
const QUARTER = 3;
const CYCLE_ID = `revision-${FISCAL_YEAR}-T${QUARTER}`;
/** Reviews the liaisons answer before the crash (the coordinator approves them after it); the rest time out. */
const ANSWERED = 3;

interface CycleStatus {
  workflowId: string;
  execution: string;
  cycle: CycleView;
  reviews: ReviewView[];
}

let dataDir: string;
let smtp: TestSmtp;
let product: Product;

const cycleStatus = async () => {
  const res = await product.request<CycleStatus>('GET', `/api/cycles/${CYCLE_ID}`);
  return res.status === 200 ? res.body : null;
};

/** The messages at the SMTP peer, with their decoded subject and Message-ID. */
const mails = () => smtp.messages.map((m) => ({ subject: headerOf(m.raw, 'Subject'), messageId: headerOf(m.raw, 'Message-ID'), rcptTo: m.rcptTo }));

describe('fault suite', () => {
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'metas-pdm-faults-'));
    smtp = await startSmtp();
    product = await Product.create(dataDir, {
      LOAD_DEMO_DATA: 'true',
      SMTP_URL: smtp.url,
      SMTP_IGNORE_TLS: 'true',
      COORDINATOR_EMAIL: 'coordinacion.mmse@pasto.gov.co',
    });
    await product.start();
    await product.createAdmin(ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await product?.kill();
    await smtp?.close();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('kill -9 of the app while reviews wait: the same start command resumes every review, and no e-mail goes twice', async () => {
    const started = await product.request<{ workflowId: string; created: boolean }>('POST', '/api/cycles', {
      fiscalYear: FISCAL_YEAR,
      quarter: QUARTER,
      window: '60s',
      reminders: '25s',
    });
    expect(started.status).toBe(201);
    expect(started.body.workflowId).toBe(CYCLE_ID);

    // Every flagged department alerted (its e-mail at the peer) and waiting for its answer.
    const waiting = await until(
      'every review to be alerted',
      async () => {
        const status = await cycleStatus();
        if (!status || status.cycle.phase !== 'reviewing' || status.reviews.length === 0) return null;
        if (status.reviews.length !== status.cycle.departments.length) return null;
        if (!status.reviews.every((r) => r.alertedAt && r.state === 'awaitingResponse')) return null;
        return mails().filter((m) => m.subject.includes('Reporte de alerta trimestral')).length >= status.reviews.length ? status : null;
      },
      90_000,
      500,
    );
    const reviews = waiting.reviews;
    expect(reviews.length).toBeGreaterThan(ANSWERED);
    const answered = reviews.slice(0, ANSWERED);
    for (const review of answered) {
      // A Q3 answer also commits on the year's other lagging goals, which the review lists.
      const listed = await product.request<ReviewView & { consolidationGoals: { goalCode: string }[] }>('GET', `/api/reviews/${review.workflowId}`);
      const consolidationCommitments = listed.body.consolidationGoals.map((g) => ({ goalCode: g.goalCode, commitment: 'Recuperar el rezago acumulado antes del cierre de la vigencia' }));
      const res = await product.request<ReviewView>('POST', `/api/reviews/${review.workflowId}/response`, { ...answerAll(review), consolidationCommitments });
      expect(res.status).toBe(200);
      expect(['responseReceived', 'underAgreement']).toContain(res.body.state);
    }

    const { serverPid } = await product.kill9App();
    // The dev server it started goes with it: nothing left holding the ports.
    await until('the dev server to stop with its app', () => !isRunning(serverPid), 20_000);

    await product.start();
    for (const review of answered) {
      const res = await until(
        `the approval of ${review.workflowId}`,
        async () => {
          const r = await product.request<ReviewView>('POST', `/api/reviews/${review.workflowId}/decision`, { decision: 'approve', comment: 'Aprobado tras el reinicio' });
          return r.status === 200 ? r : null;
        },
        30_000,
        500,
      );
      expect(res.body.outcome).toBe('keptWithCommitment');
    }

    const done = await until(
      'the cycle to complete',
      async () => {
        const status = await cycleStatus();
        return status?.execution === 'COMPLETED' ? status : null;
      },
      150_000,
      1_000,
    );
    const outcomes = Object.fromEntries(done.cycle.departments.map((d) => [d.reviewWorkflowId, d.outcome]));
    for (const review of reviews) {
      expect([review.workflowId, outcomes[review.workflowId]]).toEqual([
        review.workflowId,
        answered.includes(review) ? 'keptWithCommitment' : 'noAdjustment',
      ]);
    }
    // The answers as given, in the reviews' records.
    for (const review of answered) {
      const res = await product.request<ReviewView>('GET', `/api/reviews/${review.workflowId}`);
      expect(res.status).toBe(200);
      expect(res.body.goals.every((g) => g.answer?.action === 'keep')).toBe(true);
      expect(res.body.respondent?.name).toBe('Enlace de prueba');
    }

    // E-mails: each exactly once (a re-send keeps its Message-ID, so a duplicate would show).
    const all = mails();
    const ids = all.map((m) => m.messageId);
    expect(ids.every((id) => id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const count = (what: string, department: string) => all.filter((m) => m.subject.includes(what) && m.subject.endsWith(department)).length;
    for (const review of reviews) {
      const name = review.department.name;
      const timedOut = !answered.includes(review);
      expect([name, 'alerta', count('Reporte de alerta trimestral', name)]).toEqual([name, 'alerta', 1]);
      expect([name, 'constancia', count('Constancia de negativa de ajustes', name)]).toEqual([name, 'constancia', timedOut ? 1 : 0]);
      expect([name, 'respuesta', count('Respuesta recibida', name)]).toBeDefined();
      expect(count('Respuesta recibida', name)).toBeLessThanOrEqual(timedOut ? 0 : 1);
    }
    expect(all.filter((m) => m.subject.includes('Constancia de negativa de ajustes'))).toHaveLength(reviews.length - ANSWERED);
  });

  it('kill -9 of the dev server: /health says 503 naming Temporal, then everything recovers without restarting the app', async () => {
    const appPid = await product.appPid();
    const { pid: serverPid } = await product.serverPids();
    process.kill(serverPid, 'SIGKILL');

    const degraded = await until(
      '/health to answer 503',
      async () => {
        const res = await product.request<{ status: string; checks: Record<string, { ok: boolean; message?: string }> }>('GET', '/health');
        return res.status === 503 ? res.body : null;
      },
      10_000,
      50,
    );
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks.temporal?.ok).toBe(false);
    expect(degraded.checks.temporal?.message).toMatch(/Temporal/);
    expect(degraded.checks.database?.ok).toBe(true);

    await until('/health to answer 200 again', async () => (await product.request('GET', '/health')).status === 200, 60_000, 250);
    // Same app process; a new dev server process on the same database.
    expect(await product.appPid()).toBe(appPid);
    expect((await product.serverPids()).pid).not.toBe(serverPid);
    // A cycle call works again, through a query the (reconnected) worker answers.
    const status = await until('a cycle query to work', cycleStatus, 60_000, 500);
    expect(status.execution).toBe('COMPLETED');
    expect(status.cycle.phase).toBe('completed');
  });

  it('kill -9 during a long import: after the restart nothing is half-imported and the upload is marked failed', async () => {
    const goals = Array.from({ length: 8_000 }, (_, i) => goal(`F${String(i).padStart(5, '0')}`, fixtureDepartments[i % fixtureDepartments.length]!.code, [10, 20, 30, 40]));
    const file = await planXlsx(goals);
    // Uploading runs the whole import once, rolled back (the preview): it tells how long the real one takes.
    const uploadStarted = Date.now();
    const upload = await product.request<{ id: number; status: string }>('POST', '/api/imports/uploads?kind=indicativePlan&fileName=plan-grande.xlsx', file);
    const importMs = Date.now() - uploadStarted;
    expect(upload.status).toBe(201);
    expect(upload.body.status).toBe('pending');

    const commit = await product.request<{ status: string }>('POST', `/api/imports/uploads/${upload.body.id}/commit`);
    expect(commit.status).toBe(202);
    expect(commit.body.status).toBe('committing');
    // The import blocks the app's event loop, so its progress can't be watched from outside while it
    // runs; the kill lands halfway through by the preview's timing instead. If it came too late, the
    // upload would be "committed" below and the test fails.
    await new Promise((r) => setTimeout(r, importMs / 2));
    await product.kill9App();
    await product.start();

    const settled = await until(
      'the interrupted upload to be settled',
      async () => {
        const res = await product.request<{ status: string; result: { ok: boolean; message?: string } | null }>('GET', `/api/imports/uploads/${upload.body.id}`);
        return res.body.status !== 'committing' ? res.body : null;
      },
      30_000,
      250,
    );
    expect({ status: settled.status, importMs }).toEqual({ status: 'failed', importMs });
    expect(settled.result?.ok).toBe(false);
    expect(settled.result?.message).toContain('se interrumpió');
    // All or nothing: the same file, previewed now, would still add every one of its goals.
    const preview = await product.request<{ goalsAdded: string[] }>('POST', '/api/imports/preview?kind=indicativePlan&fileName=plan-grande.xlsx', file);
    expect(preview.status).toBe(200);
    expect(preview.body.goalsAdded).toHaveLength(goals.length);
  });

  it('an upload that expands to ~400 MB is refused with a 4xx and the app keeps serving', async () => {
    // Its zip declares a small entry: the lie is caught while inflating, not from the directory.
    const bomb = await xlsxBomb(await planXlsx([goal('M-001', 'SEDU', [1, 2, 3, 4])]), { inflatedMb: 400, declaredBytes: 1000 });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    let settled = false;
    const refused = product
      .request<{ error?: { code: string; message: string } }>('POST', '/api/imports/preview?kind=indicativePlan&fileName=bomba.xlsx', bomb)
      .catch((error: unknown) => ({ status: 0, body: { error: { code: 'no-response', message: String(error) } } }))
      .finally(() => (settled = true));
    // While the upload is handled, the app keeps answering (the file is not inflated on its main thread).
    const healthMeanwhile: (number | string)[] = [];
    while (!settled) {
      healthMeanwhile.push(
        await fetch(`${product.baseUrl}/health`, { signal: AbortSignal.timeout(3_000) }).then(
          (r) => r.status,
          () => 'no answer within 3 s',
        ),
      );
    }
    const res = await refused;
    // 413 (too large once inflated) or 422 (a limit of the workbook), never a crash or a 500.
    expect(`${res.status} ${JSON.stringify(res.body)}`).toMatch(/^(413|422) /);
    expect(res.body.error?.message).toBeTruthy();
    expect(healthMeanwhile.filter((status) => status !== 200)).toEqual([]);
    // Still up: health, and a page that reads the database and Temporal.
    expect((await product.request('GET', '/health')).status).toBe(200);
    expect([200, 404]).toContain((await product.request('GET', `/api/cycles/${CYCLE_ID}`)).status);
  });
});

describe('an external Temporal cluster (TEMPORAL_ADDRESS) that is unreachable', () => {
  let externalDir: string;
  let external: Product | undefined;
  let cluster: DevServer | undefined;

  afterAll(async () => {
    await external?.kill();
    await cluster?.stop();
    if (externalDir) await fs.rm(externalDir, { recursive: true, force: true });
  });

  it('the app starts anyway, /health says the worker retries, and it connects once the cluster is up', async () => {
    externalDir = await fs.mkdtemp(path.join(os.tmpdir(), 'metas-pdm-faults-external-'));
    const clusterPort = await findFreePort();
    external = await Product.create(path.join(externalDir, 'app'), { LOAD_DEMO_DATA: 'false', TEMPORAL_ADDRESS: `127.0.0.1:${clusterPort}` });

    // start() waits for a 200, which can't come yet: wait for the 503 instead.
    const starting = external.start(120_000).catch((error: unknown) => error);
    const degraded = await until(
      '/health to answer 503 naming the cluster',
      async () => {
        const res = await external!.request<{ checks: Record<string, { ok: boolean; message?: string; embedded?: boolean }> }>('GET', '/health');
        return res.status === 503 ? res.body : null;
      },
      120_000,
      250,
    );
    expect(degraded.checks.temporal).toMatchObject({ ok: false, embedded: false });
    expect(degraded.checks.temporal?.message).toContain(`clúster de Temporal en 127.0.0.1:${clusterPort}`);
    expect(degraded.checks.worker?.ok).toBe(false);
    expect(degraded.checks.worker?.message).toContain('reintenta');
    expect(degraded.checks.database?.ok).toBe(true);

    // The cluster comes up (a dev server standing in for it, with the app's namespace).
    cluster = await startDevServer({
      cliPath: await resolveTemporalCli({ build: false }),
      dbFile: path.join(externalDir, 'cluster', 'temporal.db'),
      namespace: 'metas-pdm',
      port: clusterPort,
      uiPort: await findFreePort(),
      headless: true,
      searchAttributes: searchAttributeTypes,
    });
    expect(await starting).toBeUndefined();
    const healthy = await external.request<{ checks: Record<string, { ok: boolean }> }>('GET', '/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body.checks.worker?.ok).toBe(true);
  });
});
