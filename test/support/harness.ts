import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { loadDemoData } from '../../db/demo';
import { defaultThresholds } from '../../domain/goals';
import { createCycleService, type CycleService } from '../../services/cycles';
import { connectWorker } from '../../temporal/connection';
import { bundleWorkflows, createReviewWorker, quietTemporalRuntime } from '../../temporal/worker';
import type { ReviewView } from '../../workflows/types';
import { TEST_NAMESPACE } from './constants';
import { openPglite } from './pglite';
import { adminQuery, postgresTemplateName, readWorkflowBundle } from './runFixtures';
import { deriveKey, signReviewLink } from '../../auth/reviewLinks';
import { createApiToken, createAuth, createUser } from '../../auth';
import { authPages } from '../../server/views/errorPages';
import { createApp } from '../../server/app';
import { createAppServices } from '../../services/appServices';
import { createPdfSigner } from '../../documents/pdfSigner';
import request from 'supertest';

export type TestDatabase = 'pglite' | 'postgres';

/** APP_SECRET of the tests; the key that signs liaison links is derived from it as in production. */
export const testAppSecret = 'clave-de-pruebas-de-metas-pdm-con-32-caracteres';
export const testLinkKey = deriveKey(testAppSecret, 'review-links');
export const testPublicUrl = 'https://metas.pasto.gov.co';
/** The personal link the alert e-mail of a review carries. */
export const reviewLinkOf = (reviewWorkflowId: string, departmentCode: string) =>
  `/responder/${reviewWorkflowId}/${signReviewLink({ reviewWorkflowId, departmentCode, issuedAt: new Date() }, testLinkKey)}`;

/** The databases this run tests against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set (CI). */
export const testDatabases: TestDatabase[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
if (process.env.CI === 'true' && !process.env.TEST_DATABASE_URL) {
  // CI must also prove the PostgreSQL path; .ci/run installs the server and sets this.
  throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests would silently not run');
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/**
 * The workflow bundle the global setup built once for the run (support/runFixtures.ts), or one per
 * test file (a few seconds of CPU) when jest runs without it.
 */
export const sharedBundle = () => (bundle ??= readWorkflowBundle() ?? bundleWorkflows());

/**
 * Each test gets its own fiscal year, so its workflow IDs (`revision-<year>-T<q>`) are unique
 * on the shared dev server; mkdir is atomic across jest workers.
 */
const yearsDir = () => {
  const dir = path.join(process.env.TEST_RUN_DIR as string, 'years');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

export function uniqueFiscalYear(): number {
  const dir = yearsDir();
  for (let year = 2030; year < 2100; year++) {
    try {
      fs.mkdirSync(path.join(dir, String(year)));
      return year;
    } catch {
      // taken by another test
    }
  }
  throw new Error('No fiscal years left for tests');
}

/** A test whose data is tied to a real year (e.g. the shipped samples) reserves it; only one may. */
export function reserveFiscalYear(year: number): number {
  fs.mkdirSync(path.join(yearsDir(), String(year)));
  return year;
}

export async function createPostgresDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `metas_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  // A copy of the run's migrated template (support/runFixtures.ts): no migrations to run again.
  const runDir = process.env.TEST_RUN_DIR;
  await adminQuery(adminUrl, runDir && adminUrl === process.env.TEST_DATABASE_URL ? `CREATE DATABASE ${name} TEMPLATE ${postgresTemplateName(runDir)}` : `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** The databases a suite runs on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export const testDatabaseKinds: ('pglite' | 'postgres')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh, empty, migrated database: PGlite in memory, or a new database on TEST_DATABASE_URL's server (dropped on close). */
export async function openTestDatabase(kind: 'pglite' | 'postgres'): Promise<DatabaseHandle> {
  if (kind === 'pglite') return openPglite();
  const pg = await createPostgresDatabase(process.env.TEST_DATABASE_URL as string);
  const handle = await openDatabase({ databaseUrl: pg.url });
  return {
    ...handle,
    async close() {
      await handle.close();
      await pg.drop();
    },
  };
}

export interface Harness {
  fiscalYear: number;
  database: DatabaseHandle;
  client: Client;
  cycles: CycleService;
  taskQueue: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The Temporal server a harness runs on: by default the run's dev server (or `address`); a
 * time-skipping test server (support/timeSkipping.ts) for the deadline and reminder paths.
 */
export interface TemporalTarget {
  client: Client;
  namespace: string;
  /** A connection for one worker, and how to let it go. */
  connectWorker(): Promise<{ connection: NativeConnection; release(): Promise<void> }>;
  /** Called by the harness's close (the target's owner closes what it shares). */
  release(): Promise<void>;
}

async function devServerTarget(temporalAddress: string): Promise<TemporalTarget> {
  const connection = await Connection.connect({ address: temporalAddress });
  return {
    client: new Client({ connection, namespace: TEST_NAMESPACE }),
    namespace: TEST_NAMESPACE,
    async connectWorker() {
      const workerConnection = await connectWorker({ temporalAddress, TEMPORAL_NAMESPACE: TEST_NAMESPACE, TEMPORAL_TLS: false });
      return { connection: workerConnection, release: () => workerConnection.close() };
    },
    release: () => connection.close(),
  };
}

export interface HarnessOptions {
  database?: TestDatabase;
  address?: string;
  /** Another Temporal server than the run's dev server (e.g. a time-skipping one). */
  temporal?: TemporalTarget;
  defaultWindow?: string;
  /** Years of the plan's term, given the test's unique fiscal year (default: that year only). */
  planYears?: (fiscalYear: number) => number[];
  /** A fixed fiscal year (reserved for this test) instead of a unique one. */
  fiscalYear?: number;
  /** Extra dependencies of the activities (e.g. an SMTP mailer). */
  activities?: (db: DatabaseHandle['db']) => Partial<Parameters<typeof createActivities>[0]>;
  /** Fills the new database; default: the small demo programmed for the test's year. */
  seed?: (db: DatabaseHandle['db'], fiscalYear: number) => Promise<unknown>;
  /** Origin of the links the e-mails carry (default testPublicUrl); a listening server's URL in browser tests. */
  publicUrl?: string;
}

/**
 * Real components for a test: a fresh database with the demo municipality programmed for a
 * unique year, a worker on its own task queue against the run's dev server, and the cycle service.
 */
export async function createHarness({
  database = 'pglite',
  address,
  defaultWindow = '1m',
  planYears = (year) => [year],
  fiscalYear: fixedYear,
  seed,
  activities: activityOptions,
  publicUrl = testPublicUrl,
  temporal,
}: HarnessOptions = {}): Promise<Harness> {
  quietTemporalRuntime();
  const fiscalYear = fixedYear === undefined ? uniqueFiscalYear() : reserveFiscalYear(fixedYear);
  const pg = database === 'postgres' ? await createPostgresDatabase(process.env.TEST_DATABASE_URL as string) : null;
  const handle = pg ? await openDatabase({ databaseUrl: pg.url }) : await openPglite();
  if (seed) await seed(handle.db, fiscalYear);
  else await loadDemoData(handle.db, { planYears: planYears(fiscalYear), progressYear: fiscalYear });
  const target = temporal ?? (await devServerTarget(address ?? (process.env.TEST_TEMPORAL_ADDRESS as string)));
  const { client } = target;
  const taskQueue = `test-${randomUUID()}`;
  const cycles = createCycleService({ client, db: handle.db, taskQueue, defaultWindow, thresholds: defaultThresholds });

  let running: { worker: Worker; run: Promise<void>; release(): Promise<void> } | null = null;
  const harness: Harness = {
    fiscalYear,
    database: handle,
    client,
    cycles,
    taskQueue,
    async startWorker() {
      if (running) return;
      const { connection: workerConnection, release } = await target.connectWorker();
      const worker = await createReviewWorker({
        connection: workerConnection,
        namespace: target.namespace,
        taskQueue,
        activities: createActivities({
          db: handle.db,
          timeZone: 'America/Bogota',
          publicUrl,
          reviewLink: ({ reviewWorkflowId, departmentCode }) => `${publicUrl}${reviewLinkOf(reviewWorkflowId, departmentCode)}`,
          // As in production: records are signed when an administrator configured a certificate.
          pdfSigner: createPdfSigner(handle.db, testAppSecret),
          ...activityOptions?.(handle.db),
        }),
        workflowBundle: await sharedBundle(),
      });
      running = { worker, run: worker.run(), release };
    },
    async stopWorker() {
      if (!running) return;
      const { worker, run, release } = running;
      running = null;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await run.catch(() => undefined);
      await release();
    },
    async close() {
      await harness.stopWorker();
      await target.release();
      await handle.close();
      await pg?.drop();
    },
  };
  await harness.startWorker();
  return harness;
}

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, { timeoutMs = 60_000, intervalMs = 200, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until a department review reaches a machine state, and returns its view. */
export const reviewIn = (h: Harness, reviewId: string, state: ReviewView['state']) =>
  eventually(
    async () => {
      const view = await h.cycles.reviewStatus(reviewId);
      return view.state === state ? view : undefined;
    },
    { what: `${reviewId} in ${state}` },
  );

export type TestRole = 'admin' | 'operator' | 'coordinator' | 'liaison' | 'viewer';

/**
 * The HTTP app over a harness, with real accounts: `as(role)` creates a user with that role (a
 * liaison bound to a department) and returns a supertest agent carrying its API token.
 */
export async function createTestApp(h: Harness) {
  const { db } = h.database;
  const auth = createAuth({ db, pages: authPages, secret: testAppSecret, secureCookies: false });
  const app = createApp({ cycles: h.cycles, services: createAppServices(db, { appSecret: testAppSecret }), auth, log: () => undefined });
  const as = async (role: TestRole, departmentCode?: string) => {
    const user = await createUser(db, {
      email: `${role}-${randomUUID().slice(0, 8)}@pruebas.gov.co`,
      name: `Cuenta ${role}`,
      role,
      departmentCode,
      password: 'una clave de pruebas suficientemente larga',
    });
    const { token } = await createApiToken(db, { userId: user.id, name: 'pruebas' });
    return request.agent(app).set('Authorization', `Bearer ${token}`);
  };
  return { app, auth, as, admin: await as('admin') };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
