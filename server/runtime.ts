import type { Server } from 'node:http';
import { createActivities } from '../activities';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createCycleService } from '../services/cycles';
import { connectClient, connectWorker } from '../temporal/connection';
import { createReviewWorker, quietTemporalRuntime } from '../temporal/worker';
import { createApp } from './app';
import { createMailer } from '../mail';
import { resolveAppSecret } from '../auth/appSecret';
import { signReviewLink } from '../auth/reviewLinks';
import { createAuth } from '../auth';

export interface RunningServices {
  stop(): Promise<void>;
}

/** Connects to Temporal, runs the worker and listens for HTTP; `stop` drains them in order. */
export async function startServices({
  config,
  db,
  temporalUiUrl,
  log,
}: {
  config: Config;
  db: Database;
  temporalUiUrl: string | null;
  log: (message: string) => void;
}): Promise<RunningServices> {
  quietTemporalRuntime();
  const auth = createAuth({
    db,
    secret: resolveAppSecret({ appSecret: config.APP_SECRET, dataDir: config.dataDir }),
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
  const client = await connectClient(config);
  const workerConnection = await connectWorker(config);
  const worker = await createReviewWorker({
    connection: workerConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({
      db,
      timeZone: config.TZ,
      mailer,
      publicUrl: config.publicUrl,
      coordinatorEmail: config.COORDINATOR_EMAIL,
      reviewLink: ({ reviewWorkflowId, departmentCode }) =>
        `${config.publicUrl}/responder/${reviewWorkflowId}/${signReviewLink({ reviewWorkflowId, departmentCode, issuedAt: new Date() }, linkKey)}`,
    }),
  });
  const workerRun = worker.run();
  workerRun.catch((error) => log(`El worker se detuvo con error: ${error instanceof Error ? error.message : String(error)}`));

  const cycles = createCycleService({
    client,
    db,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    defaultWindow: config.RESPONSE_WINDOW,
    defaultReminders: config.REMINDER_BUSINESS_DAYS,
    thresholds: config.thresholds,
  });
  const app = createApp({ cycles, db, temporalUiUrl, timeZone: config.TZ, thresholds: config.thresholds, auth, uploadLimits: config.uploadLimits });
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
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun.catch(() => undefined);
      await workerConnection.close();
      mailer.close();
      await client.connection.close();
    },
  };
}
