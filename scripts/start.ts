/**
 * `npm start`: the whole product on one machine. Starts (or connects to) Temporal, opens the
 * database, loads the demo municipality on first run, then runs the worker and the web server.
 * Ctrl-C stops everything in reverse order; the next start finds the same data and workflows.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { generateMunicipality, loadMunicipality } from './demo';
import { resolveTemporalCli } from '../temporal/cli';
import { superviseDevServer, type SupervisedDevServer } from '../temporal/devServerSupervisor';
import { searchAttributeTypes } from '../workflows/searchAttributes';
import { startServices } from '../temporal/runtime';

async function main() {
  const config = loadConfig();
  const say = (message: string) => console.log(`[metas-pdm] ${message}`);
  const stops: (() => Promise<void>)[] = [];
  let devServer: SupervisedDevServer | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Ctrl-C reaches the dev server too: its exit is part of the shutdown, not a crash to restart.
    devServer?.stopRestarting();
    say(`Recibida señal ${signal}: deteniendo en orden (servidor web y worker, base de datos, Temporal)…`);
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error('[metas-pdm] Error al detener un componente:', error);
      }
    }
    say('Detenido. Los datos quedan en ' + config.dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.embeddedTemporal) {
    const cliPath = await resolveTemporalCli({ log: say, env: process.env });
    say(`Iniciando el servidor de desarrollo de Temporal (${cliPath})…`);
    // Supervised: restarted if it dies while the app runs; it dies with the app (even kill -9), and a
    // leftover of a crashed run on this DATA_DIR is recognised by its pid file and stopped first.
    devServer = await superviseDevServer({
      cliPath,
      dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
      logFile: path.join(config.dataDir, 'temporal', 'server.log'),
      pidFile: path.join(config.dataDir, 'temporal', 'server.pid'),
      namespace: config.TEMPORAL_NAMESPACE,
      port: config.TEMPORAL_DEV_SERVER_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      searchAttributes: searchAttributeTypes,
      log: say,
    });
    const server = devServer;
    stops.push(() => server.stop());
  } else {
    say(`Usando el clúster de Temporal en ${config.temporalAddress} (espacio de nombres ${config.TEMPORAL_NAMESPACE}).`);
  }

  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: path.join(config.dataDir, 'pglite'),
  });
  stops.push(() => database.close());
  say(database.dialect === 'postgres' ? 'Base de datos: PostgreSQL (DATABASE_URL).' : `Base de datos embebida (PGlite) en ${path.join(config.dataDir, 'pglite')}.`);
  if (config.LOAD_DEMO_DATA) {
    const demo = generateMunicipality();
    if (await loadMunicipality(database.db, demo)) {
      say(
        `Primera ejecución: se cargó el municipio de demostración (${demo.departments.length} dependencias, ${demo.goals.length} metas, avance 2024 T1 – 2026 T3).`,
      );
    }
  }

  const supervised = devServer;
  const services = await startServices({
    config,
    db: database.db,
    temporalUiUrl: devServer?.uiUrl ?? null,
    log: say,
    embeddedServer: supervised ? () => supervised.status() : undefined,
  });
  stops.push(() => services.stop());

  say(`Aplicación: ${config.publicUrl}`);
  if (devServer?.uiUrl) say(`Temporal Web UI: ${devServer.uiUrl}`);
  say('Pulse Ctrl-C para detener.');
}

main().catch((error) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('[metas-pdm] No fue posible iniciar:', error instanceof Error ? error.message : error);
  process.exit(1);
});
