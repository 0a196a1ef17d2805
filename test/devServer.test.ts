import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { resolveTemporalCli } from '../temporal/cli';
import { findFreePort, startDevServer } from '../temporal/devServer';
import { processIdentity, stopLeftover } from '../temporal/devServerLeftovers';
import { DevServerPortInUseError, type DevServer, type DevServerOptions } from '../temporal/devServerTypes';

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

  it('reports through `exited` when the server dies', async () => {
    const server = await startDevServer({
      cliPath,
      dbFile: path.join(tmp, 'temporal.db'),
      namespace: NAMESPACE,
      port: await findFreePort(),
      uiPort: await findFreePort(),
      searchAttributes: {},
      headless: true,
    });
    try {
      process.kill(server.pid, 'SIGKILL');
      await expect(server.exited).resolves.toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      await server.stop();
    }
  });
});

describe('a dev server whose app dies', () => {
  const spawned: ChildProcess[] = [];
  afterEach(() => {
    for (const child of spawned.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  /** Running, not a zombie that its new parent hasn't reaped yet. */
  function isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }

  async function until<T>(what: string, probe: () => Promise<T | null | false> | T | null | false, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Starts test/support/devServerParent.ts (an app stand-in) and waits for the pids it prints. */
  async function startParent(port: number, uiPort: number): Promise<{ parent: ChildProcess; pid: number; stderr: () => string }> {
    const parent = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'devServerParent.ts'), cliPath, tmp, String(port), String(uiPort)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.push(parent);
    let out = '';
    let err = '';
    parent.stdout!.on('data', (d) => (out += String(d)));
    parent.stderr!.on('data', (d) => (err += String(d)));
    const line = await until('the parent to print the server pid', () => (out.includes('\n') ? out.split('\n')[0]! : parent.exitCode !== null ? Promise.reject(new Error(err)) : null), 60_000);
    return { parent, pid: (JSON.parse(line) as { pid: number }).pid, stderr: () => err };
  }

  it('stops the server when its app is killed with SIGKILL, and frees the port', async () => {
    const port = await findFreePort();
    const { parent, pid } = await startParent(port, await findFreePort());
    expect(isAlive(pid)).toBe(true);
    const pidFile = JSON.parse(await fs.readFile(path.join(tmp, 'server.pid'), 'utf8')) as { pid: number; identity: string };
    expect(pidFile.pid).toBe(pid);
    expect(pidFile.identity).toContain('start-dev');

    parent.kill('SIGKILL');

    await until('the orphaned server to stop', () => !isAlive(pid), 20_000);
    await until('the port to be free', () => canBind(port), 10_000);
  });

  it('recognises a leftover server of a crashed run on the same data folder and stops it before starting', async () => {
    const port = await findFreePort();
    const uiPort = await findFreePort();
    const { parent, pid } = await startParent(port, uiPort);
    const { guardPid } = JSON.parse(await fs.readFile(path.join(tmp, 'server.pid'), 'utf8')) as { guardPid: number };
    // App and guard killed together (as an OOM kill of the group could): nothing stops the server.
    process.kill(guardPid, 'SIGKILL');
    parent.kill('SIGKILL');
    await until('the guard to be gone', () => !isAlive(guardPid));
    expect(isAlive(pid)).toBe(true);
    expect(await canBind(port)).toBe(false);

    const logs: string[] = [];
    const server = await startDevServer({
      cliPath,
      dbFile: path.join(tmp, 'temporal.db'),
      pidFile: path.join(tmp, 'server.pid'),
      namespace: NAMESPACE,
      port,
      uiPort,
      searchAttributes: {},
      headless: true,
      log: (m) => logs.push(m),
    });
    try {
      expect(isAlive(pid)).toBe(false);
      expect(server.pid).not.toBe(pid);
      expect(logs.some((l) => l.includes(`quedó de una ejecución anterior (pid ${pid}`))).toBe(true);
    } finally {
      await server.stop();
    }
    // A clean stop removes the pid file.
    await expect(fs.stat(path.join(tmp, 'server.pid'))).rejects.toThrow();
  });

  it('never kills a process that merely reuses the recorded pid', async () => {
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    spawned.push(stranger);
    await until('sleep to start', () => stranger.pid !== undefined && isAlive(stranger.pid));
    const identity = await processIdentity(stranger.pid!);
    expect(identity).toContain('sleep 60');
    const pidFile = path.join(tmp, 'server.pid');
    await fs.writeFile(
      pidFile,
      JSON.stringify({ pid: stranger.pid, identity: '12345 temporal server start-dev', guardPid: stranger.pid, guardIdentity: 'other', dbFile: 'x', port: 1, startedAt: 'x' }),
    );

    await expect(stopLeftover(pidFile)).resolves.toBe(false);
    expect(isAlive(stranger.pid!)).toBe(true);
    await expect(fs.stat(pidFile)).rejects.toThrow();
  });

  it('refuses to touch the server of another app that still runs on the same data folder', async () => {
    const otherApp = spawn('sleep', ['60'], { stdio: 'ignore' });
    spawned.push(otherApp);
    await until('sleep to start', () => otherApp.pid !== undefined && isAlive(otherApp.pid));
    const identity = await processIdentity(otherApp.pid!);
    const pidFile = path.join(tmp, 'server.pid');
    const record = { pid: otherApp.pid, identity, guardPid: otherApp.pid, guardIdentity: identity, appPid: otherApp.pid, appIdentity: identity };
    await fs.writeFile(pidFile, JSON.stringify({ ...record, dbFile: 'x', port: 1, startedAt: 'x' }));

    await expect(stopLeftover(pidFile)).rejects.toThrow(/Otra ejecución de la aplicación \(pid \d+\) está usando esta carpeta de datos/);
    expect(isAlive(otherApp.pid!)).toBe(true);
    await expect(fs.stat(pidFile)).resolves.toBeTruthy();
  });
});
