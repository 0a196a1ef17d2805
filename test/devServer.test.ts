import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { resolveTemporalCli } from '../temporal/cli';
import { DevServerPortInUseError, findFreePort, startDevServer, type DevServer, type DevServerOptions } from '../temporal/devServer';

jest.setTimeout(120_000);

const NAMESPACE = 'metas-pdm-test';
const SEARCH_ATTRIBUTES: DevServerOptions['searchAttributes'] = {
  FiscalYear: 'Int',
  Quarter: 'Int',
  DepartmentCode: 'Keyword',
  ReviewStatus: 'Keyword',
};

let tmp: string;
let cliPath: string;

beforeAll(async () => {
  // Provisioned beforehand by pretest (scripts/provisionTemporal.ts); never compile inside a test.
  cliPath = await resolveTemporalCli({ build: false });
});

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'metas-pdm-devserver-test-'));
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

describe('startDevServer', () => {
  it('starts a dev server with the namespace and search attributes, and stops it releasing the port', async () => {
    const port = await findFreePort();
    const uiPort = await findFreePort();
    const logFile = path.join(tmp, 'logs', 'temporal.log');
    let server: DevServer | undefined;
    try {
      server = await startDevServer({
        cliPath,
        dbFile: path.join(tmp, 'nested', 'temporal.db'),
        namespace: NAMESPACE,
        port,
        uiPort,
        searchAttributes: SEARCH_ATTRIBUTES,
        logFile,
      });
      expect(server.address).toBe(`127.0.0.1:${port}`);
      expect(server.uiUrl).toBe(`http://127.0.0.1:${uiPort}`);
      expect(server.pid).toBeGreaterThan(0);

      const connection = await Connection.connect({ address: server.address });
      try {
        const ns = await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
        expect(ns.namespaceInfo?.name).toBe(NAMESPACE);
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
        expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTES)));
      } finally {
        await connection.close();
      }
      await expect(fs.stat(path.join(tmp, 'nested', 'temporal.db'))).resolves.toBeTruthy();
    } finally {
      await server?.stop();
    }

    // Idempotent: a second stop (e.g. from a SIGINT handler racing a normal shutdown) is harmless.
    await server.stop();
    expect(await canBind(port)).toBe(true);
    expect(() => process.kill(server!.pid, 0)).toThrow();
    await expect(fs.readFile(logFile, 'utf8')).resolves.toContain('server start-dev');
  });

  it('refuses a busy port with a Spanish error naming it and suggesting TEMPORAL_DEV_SERVER_PORT', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const busyPort = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startDevServer({
        cliPath,
        dbFile: path.join(tmp, 'temporal.db'),
        namespace: NAMESPACE,
        port: busyPort,
        uiPort: await findFreePort(),
        searchAttributes: SEARCH_ATTRIBUTES,
        headless: true,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DevServerPortInUseError);
      expect((err as Error).message).toContain(`El puerto ${busyPort}`);
      expect((err as Error).message).toContain('ya está en uso');
      expect((err as Error).message).toContain('TEMPORAL_DEV_SERVER_PORT');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
