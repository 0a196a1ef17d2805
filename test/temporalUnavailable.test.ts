import { type DatabaseHandle } from '../db/client';
import { defaultThresholds } from '../domain/goals';
import { createCycleService } from '../services/cycles';
import { AppError, isTemporalUnavailable } from '../services/errors';
import { toAppError } from '../server/errors';
import { createHealthCheck, databaseProbe } from '../server/health';
import { pingDatabase } from '../services/readModels';
import { connectClient } from '../temporal/connection';
import { findFreePort } from '../temporal/devServer';
import { openPglite } from './support/pglite';

// A real gRPC client dialing a loopback port nobody listens on: what the app sees while Temporal is down.
let database: DatabaseHandle;

beforeAll(async () => {
  database = await openPglite();
});

afterAll(async () => {
  await database.close();
});

describe('Temporal unreachable', () => {
  it('turns a cycle call into a Spanish 503 within a few seconds, not a 20 s hang and a generic 500', async () => {
    const address = `127.0.0.1:${await findFreePort()}`;
    const client = await connectClient({ temporalAddress: address, TEMPORAL_NAMESPACE: 'metas-pdm-test', TEMPORAL_TLS: false }, { lazy: true });
    try {
      const cycles = createCycleService({ client, db: database.db, taskQueue: 'unused', defaultWindow: '10d', thresholds: defaultThresholds });
      const started = Date.now();
      const error = await cycles.cycleStatus('revision-2026-T3').catch((e: unknown) => e);
      const elapsed = Date.now() - started;

      expect(isTemporalUnavailable(error)).toBe(true);
      const appError = toAppError(error);
      expect(appError).toBeInstanceOf(AppError);
      expect(appError?.httpStatus).toBe(503);
      expect(appError?.code).toBe('unavailable');
      expect(appError?.message).toContain('El motor de flujos (Temporal) no está disponible');
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      await client.connection.close();
    }
  });

  it('does not mistake other errors for an unreachable Temporal', () => {
    expect(isTemporalUnavailable(new Error('boom'))).toBe(false);
    expect(isTemporalUnavailable(Object.assign(new Error('not found'), { code: 5, details: 'x' }))).toBe(false);
    expect(toAppError(new Error('boom'))).toBeNull();
  });
});

describe('createHealthCheck', () => {
  it('is ok when every probe is, and degraded naming what is down; a hanging probe times out', async () => {
    const ok = await createHealthCheck({ database: databaseProbe(() => pingDatabase(database.db)) })();
    expect(ok).toEqual({ status: 'ok', checks: { database: { ok: true } } });

    const started = Date.now();
    const degraded = await createHealthCheck(
      {
        database: databaseProbe(() => pingDatabase(database.db)),
        temporal: () => new Promise(() => {}),
        worker: () => {
          throw new Error('sin conexión');
        },
      },
      300,
    )();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(degraded.status).toBe('degraded');
    expect(degraded.checks.database).toEqual({ ok: true });
    expect(degraded.checks.temporal).toEqual({ ok: false, message: 'temporal: sin respuesta en 300 ms' });
    expect(degraded.checks.worker).toEqual({ ok: false, message: 'worker: sin conexión' });
  });
});
