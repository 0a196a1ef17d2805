import { performance } from 'node:perf_hooks';
import { startBenchApp, percentile, waitFor } from './benchApp';
async function main() {
  const app = await startBenchApp({ name: 'prof', log: () => undefined });
  try {
    await app.http.api(app.token, 'POST', '/api/cycles', { fiscalYear: 2026, quarter: 3, window: '2h' });
    await waitFor('reviews', async () => { const s = await app.http.api<{ reviews: { status: string }[] }>(app.token, 'GET', '/api/cycles/revision-2026-T3'); return s.reviews.length === 15 && s.reviews.every((r) => r.status === 'awaitingResponse') ? true : undefined; }, { log: console.log, timeoutMs: 600_000 });
    await app.createAccount({ email: 'v.prof@demo.gov.co', name: 'V', role: 'viewer' });
    const s = await app.http.login('v.prof@demo.gov.co', `clave de prof, solo local`, '127.0.3.1');
    for (const path of (process.env.PATHS ?? '/tablero?anio=2026&trimestre=3,/ciclos/revision-2026-T3,/ciclos/revision-2026-T3/estado,/api/cycles/revision-2026-T3,/health').split(',')) {
      const get = (pool: string) => app.http.send('GET', path, { headers: { Accept: path.startsWith('/api') ? 'application/json' : 'text/html', ...(path === '/health' ? {} : { Cookie: s.cookie }) }, localAddress: '127.0.3.1', maxSockets: 200, pool });
      const w = await get('warm');
      const times: number[] = [];
      const cpu0 = process.cpuUsage(); const w0 = performance.now();
      await Promise.all(Array.from({ length: 200 }, async () => { const t0 = performance.now(); await get(path); times.push(performance.now() - t0); }));
      const cpu = process.cpuUsage(cpu0);
      times.sort((a, b) => a - b);
      console.log('BURST', path, 'status', w.status, 'bytes', w.body.length, 'p50', percentile(times, 50).toFixed(0), 'p95', percentile(times, 95).toFixed(0), 'wall', (performance.now() - w0).toFixed(0), 'cpu ms/req', ((cpu.user + cpu.system) / 1000 / 200).toFixed(1));
    }
  } finally { await app.stop(); }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
