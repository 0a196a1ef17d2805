/**
 * A stand-in for `npm start` in the dev server supervision tests: starts a dev server with a pid
 * file, prints its pids as one JSON line and waits to be killed.
 * Usage: node --import tsx test/support/devServerParent.ts <cli> <dir> <port> <uiPort>
 */
import path from 'node:path';
import { startDevServer } from '../../temporal/devServer';

async function main() {
  const [cliPath, dir, port, uiPort] = process.argv.slice(2) as [string, string, string, string];
  const server = await startDevServer({
    cliPath,
    dbFile: path.join(dir, 'temporal.db'),
    pidFile: path.join(dir, 'server.pid'),
    namespace: 'metas-pdm-test',
    port: Number(port),
    uiPort: Number(uiPort),
    headless: true,
    searchAttributes: {},
    log: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`${JSON.stringify({ pid: server.pid, address: server.address })}\n`);
  setInterval(() => {}, 60_000);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
