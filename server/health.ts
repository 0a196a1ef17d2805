/** One component's state as /health reports it. */
export interface ComponentCheck {
  ok: boolean;
  /** Spanish, for whoever reads the JSON (an operator, a container's health probe log). */
  message?: string;
  [detail: string]: unknown;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, ComponentCheck>;
}

export type HealthProbe = () => Promise<ComponentCheck> | ComponentCheck;

/** Each probe gets this long; /health itself answers within about this, never hangs. */
export const HEALTH_PROBE_TIMEOUT_MS = 2_000;

async function withTimeout(name: string, probe: HealthProbe, timeoutMs: number): Promise<ComponentCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(probe),
      new Promise<ComponentCheck>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, message: `${name}: sin respuesta en ${timeoutMs} ms` }), timeoutMs);
      }),
    ]);
  } catch (error) {
    return { ok: false, message: `${name}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The database answers a trivial query (services/readModels pingDatabase). */
export function databaseProbe(ping: () => Promise<void>): HealthProbe {
  return async () => {
    await ping();
    return { ok: true };
  };
}

/** Runs every probe at once; `degraded` (HTTP 503) as soon as one is not ok. */
export function createHealthCheck(probes: Record<string, HealthProbe>, timeoutMs = HEALTH_PROBE_TIMEOUT_MS): () => Promise<HealthReport> {
  return async () => {
    const entries = await Promise.all(Object.entries(probes).map(async ([name, probe]) => [name, await withTimeout(name, probe, timeoutMs)] as const));
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, check]) => check.ok) ? 'ok' : 'degraded', checks };
  };
}
