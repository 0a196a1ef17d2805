/**
 * Ensures the Temporal CLI is available (compiling it with Go the first time) and prints its path.
 * Run by `npm test`'s pretest and by CI so the slow build happens once, before jest starts its workers.
 */
import { resolveTemporalCli, TemporalCliNotFoundError } from '../temporal/cli';

async function main(): Promise<void> {
  try {
    const cliPath = await resolveTemporalCli({ log: (msg) => console.error(msg) });
    // Path alone on stdout so CI can capture it: TEMPORAL_CLI_PATH=$(npx tsx scripts/provisionTemporal.ts)
    console.log(cliPath);
  } catch (err) {
    if (err instanceof TemporalCliNotFoundError) console.error(err.message);
    else console.error(`Error al preparar Temporal CLI: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

void main();
