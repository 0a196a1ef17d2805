import type { Server } from 'node:http';
import { createActivities } from '../activities';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createCycleService } from '../services/cycles';
import { connectClient, connectWorker } from './connection';
import { bundleWorkflows, createReviewWorker, quietTemporalRuntime } from './worker';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createHealthCheck, databaseProbe, type ComponentCheck } from '../server/health';
import { createApp } from '../server/app';
import { createMailer } from '../mail';
import { resolveAppSecret } from '../auth/appSecret';
import { signReviewLink } from '../auth/reviewLinks';
import { createAuth } from '../auth';
import { authPages } from '../server/views/errorPages';
import { applyConfiguredIdentity } from '../services/municipality';
import { createAppServices } from '../services/appServices';
import { createPdfSigner } from '../documents/pdfSigner';

export interface RunningServices {
  stop(): Promise<void>;
}

/** What `npm start` knows of the dev server it supervises (scripts/start.ts), for /health. */
export interface EmbeddedServerStatus {
  running: boolean;
  /** Automatic restarts so far. */
  restarts: number;
  /** Spanish: why it is down and what is being done. */
  message?: string;
}

const WORKER_RETRY_FIRST_MS = 500;
const WORKER_RETRY_MAX_MS = 30_000;
const TEMPORAL_PROBE_MS = 1_500;

/**
 * Connects to Temporal, runs the worker and listens for HTTP; `stop` drains them in order.
 * The worker is supervised: if it fails (Temporal unreachable for longer than the SDK's own
 * retries) its connection and the worker are recreated with a growing wait (0.5 s … 30 s), against
 * the restarted embedded server or an external cluster (TEMPORAL_ADDRESS) alike.
 */
export async function startServices({
  config,
  db,
  temporalUiUrl,
  log,
  embeddedServer,
}: {
  config: Config;
  db: Database;
  temporalUiUrl: string | null;
  log: (message: string) => void;
  embeddedServer?: () => EmbeddedServerStatus;
}): Promise<RunningServices> {
  quietTemporalRuntime();
  const appSecret = resolveAppSecret({ appSecret: config.APP_SECRET, dataDir: config.dataDir });
  const auth = createAuth({
    pages: authPages,
    db,
    secret: appSecret,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    dataDir: config.dataDir,
    apiTokenDays: config.API_TOKEN_DAYS,
  });
  const bootstrap = await auth.bootstrap.prepare();
  if (bootstrap) {
    log(
      `Aún no hay cuentas. Código de instalación (un solo uso) para el primer administrador: ${bootstrap.token}\n` +
        `  Desde esta máquina: npm run metas -- user create --role admin --email <correo> --name "<nombre>"` +
        (bootstrap.file ? ` (lee el código de ${bootstrap.file})` : '') +
        `\n  Desde otra: agregue --bootstrap-token <código>.`,
    );
  }
  const linkKey = auth.reviewLinkKey;
  const mailer = createMailer({ db, smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, transportOptions: { ignoreTLS: config.SMTP_IGNORE_TLS } });
  log(mailer.transport === 'smtp' ? 'Correo: SMTP (SMTP_URL).' : 'Correo: sin SMTP configurado; los mensajes quedan en la bandeja de salida (outbox).');
  // Lazy: the app starts and answers (with 503s naming Temporal) even while the cluster is unreachable.
  const client = await connectClient(config, { lazy: true });
  const activities = createActivities({
    db,
    timeZone: config.TZ,
    mailer,
    publicUrl: config.publicUrl,
    coordinatorEmail: config.COORDINATOR_EMAIL,
    pdfSigner: createPdfSigner(db, appSecret, config.TZ),
    reviewLink: ({ reviewWorkflowId, departmentCode }) =>
      `${config.publicUrl}/responder/${reviewWorkflowId}/${signReviewLink({ reviewWorkflowId, departmentCode, issuedAt: new Date() }, linkKey)}`,
  });
  const workflowBundle = await bundleWorkflows();

  let stopping = false;
  let worker: Worker | null = null;
  const workerStatus = { running: false, attempts: 0, lastError: null as string | null, nextAttemptAt: null as Date | null };
  let wakeSupervisor: () => void = () => {};
  let firstAttemptDone: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => (firstAttemptDone = resolve));

  const superviseWorker = async () => {
    while (!stopping) {
      let connection: NativeConnection | null = null;
      try {
        connection = await connectWorker(config);
        if (stopping) break;
        worker = await createReviewWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, activities, workflowBundle });
        if (stopping) break;
        if (workerStatus.attempts > 0) log('El worker se reconectó a Temporal y retoma los flujos pendientes.');
        Object.assign(workerStatus, { running: true, attempts: 0, lastError: null, nextAttemptAt: null });
        firstAttemptDone();
        await worker.run();
        if (!stopping) throw new Error('el worker se detuvo sin que se le pidiera');
      } catch (error) {
        if (stopping) break;
        const delay = Math.min(WORKER_RETRY_MAX_MS, WORKER_RETRY_FIRST_MS * 2 ** workerStatus.attempts);
        Object.assign(workerStatus, {
          running: false,
          attempts: workerStatus.attempts + 1,
          lastError: error instanceof Error ? error.message : String(error),
          nextAttemptAt: new Date(Date.now() + delay),
        });
        log(`El worker no está conectado a Temporal (${workerStatus.lastError}); nuevo intento en ${Math.round(delay / 100) / 10} s.`);
        firstAttemptDone();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wakeSupervisor = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      } finally {
        worker = null;
        await connection?.close().catch(() => undefined);
      }
    }
    workerStatus.running = false;
  };
  const supervisor = superviseWorker();
  await firstAttempt;

  const temporalProbe = async (): Promise<ComponentCheck> => {
    const where = config.embeddedTemporal ? { embedded: true, address: config.temporalAddress } : { embedded: false, address: config.temporalAddress };
    const server = embeddedServer?.();
    // The supervisor knows first: between the server's exit and the restarted one being ready.
    if (server && !server.running) {
      return { ok: false, ...where, restarts: server.restarts, message: server.message ?? 'El servidor de Temporal embebido no está en marcha; se reinicia automáticamente.' };
    }
    try {
      await client.connection.withDeadline(Date.now() + TEMPORAL_PROBE_MS, () => client.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE }));
      return { ok: true, ...where, ...(server ? { restarts: server.restarts } : {}) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const message = server
        ? (server.message ?? `El servidor de Temporal embebido no responde (${reason}); se reinicia automáticamente.`)
        : `Sin conexión con el clúster de Temporal en ${config.temporalAddress} (${reason}); el worker reintenta con espera creciente.`;
      return { ok: false, ...where, ...(server ? { restarts: server.restarts } : {}), message };
    }
  };
  const workerProbe = (): ComponentCheck =>
    workerStatus.running
      ? { ok: true, state: worker?.getState() ?? 'RUNNING' }
      : {
          ok: false,
          state: 'reconnecting',
          attempts: workerStatus.attempts,
          nextAttemptAt: workerStatus.nextAttemptAt?.toISOString() ?? null,
          message: `El worker reintenta conectarse a Temporal con espera creciente (intento ${workerStatus.attempts}; último error: ${workerStatus.lastError ?? 'ninguno'}).`,
        };
  const services = createAppServices(db, { appSecret });
  const health = createHealthCheck({ database: databaseProbe(services.pingDatabase), temporal: temporalProbe, worker: workerProbe });

  const cycles = createCycleService({
    client,
    db,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    municipalityCode: config.TEMPORAL_WORKFLOW_ID_PREFIX,
    defaultWindow: config.RESPONSE_WINDOW,
    defaultReminders: config.REMINDER_BUSINESS_DAYS,
    thresholds: config.thresholds,
  });
  await applyConfiguredIdentity(db, config.municipality, (message) => console.error(message));
  const app = createApp({ cycles, services, temporalUiUrl, timeZone: config.TZ, thresholds: config.thresholds, auth, uploadLimits: config.uploadLimits, health, lateResponseDays: config.LATE_RESPONSE_DAYS });
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(s)));
  });

  return {
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      stopping = true;
      wakeSupervisor();
      const running = worker as Worker | null;
      if (running?.getState() === 'RUNNING') running.shutdown();
      await supervisor;
      mailer.close();
      await client.connection.close();
    },
  };
}
