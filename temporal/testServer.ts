import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { executableProblem, findOnPath, runStreaming, sha256Of, withLock } from './cli';

/**
 * Temporal's Java test server, for the tests whose deadlines and reminders skip time instead of
 * waiting for it (`TestWorkflowEnvironment.createTimeSkipping`). The SDK would download a native
 * build from GitHub, which this network doesn't reach; the same server is published on Maven
 * Central, so Maven fetches it with its dependencies into a cache folder keyed by version, and a
 * small launcher starts it with the port @temporalio/testing passes as its first argument.
 * Only the tests use it; the product runs on the Temporal CLI (temporal/cli.ts).
 */
export const TEST_SERVER = {
  groupId: 'io.temporal',
  artifactId: 'temporal-test-server',
  version: '1.38.0',
  /** Silences SLF4J's "no binding" warning on every start (the server logs nothing we read). */
  slf4jNop: '1.7.36',
  /** SHA-256 of the sorted "file sha256" lines of every jar Maven resolved (see libraryDigest). */
  librarySha256: '067ee6f516f1e5ea12bc088c3b0a9455aa103e597a46f7a7f2597c8a1fb8c823',
};

const LAUNCHER_NAME = 'temporal-test-server';

export class TestServerNotFoundError extends Error {
  constructor(detail: string) {
    super(
      [
        `No se pudo preparar el servidor de pruebas de Temporal ${TEST_SERVER.version} (${detail}).`,
        'Las pruebas de plazos y recordatorios lo usan para adelantar el reloj. Para solucionarlo, elija una opción:',
        '  1. Instale Java 17 o posterior y Maven (p. ej. apt-get install -y default-jre-headless maven) y vuelva a ejecutar el comando: Maven lo descarga de Maven Central en segundos.',
        '  2. Defina TEMPORAL_TEST_SERVER_PATH con la ruta a un ejecutable del servidor de pruebas que reciba el puerto como primer argumento.',
      ].join('\n'),
    );
    this.name = 'TestServerNotFoundError';
  }
}

export function testServerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(path.resolve(base), 'metas-pdm', `temporal-test-server-${TEST_SERVER.version}`);
}

export interface ResolveTestServerOptions {
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** false = only look (never run Maven; fail instead). */
  install?: boolean;
}

/** TEMPORAL_TEST_SERVER_PATH → the cached, checked launcher → Maven now. Returns the launcher's path. */
export async function resolveTestServer(options: ResolveTestServerOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const explicit = env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) {
    const p = path.resolve(explicit);
    const problem = await executableProblem(p);
    if (problem) throw new TestServerNotFoundError(`TEMPORAL_TEST_SERVER_PATH apunta a "${p}", que no es un archivo ejecutable`);
    return p;
  }

  const cacheDir = testServerCacheDir(env);
  const launcher = path.join(cacheDir, LAUNCHER_NAME);
  if ((await executableProblem(launcher)) === null) return launcher;
  if (options.install === false) throw new TestServerNotFoundError(`no está en ${cacheDir}; ejecute npm run provision:temporal`);

  const java = await findOnPath('java', env);
  const mvn = await findOnPath('mvn', env);
  if (!java || !mvn) throw new TestServerNotFoundError(`${!java ? 'Java' : 'Maven'} no está instalado`);
  return withLock(cacheDir, launcher, log, 'descargando', () => installWithMaven(mvn, java, cacheDir, launcher, env, log), 'el servidor de pruebas de Temporal');
}

/** The digest TEST_SERVER.librarySha256 pins: every jar's name and SHA-256, sorted by name. */
export async function libraryDigest(libDir: string): Promise<string> {
  const names = (await fs.readdir(libDir)).filter((n) => n.endsWith('.jar')).sort();
  const lines = [];
  for (const name of names) lines.push(`${name} ${await sha256Of(path.join(libDir, name))}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

function pom(): string {
  const dependency = (groupId: string, artifactId: string, version: string) =>
    `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.metas-pdm</groupId>
  <artifactId>temporal-test-server-launcher</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    ${dependency(TEST_SERVER.groupId, TEST_SERVER.artifactId, TEST_SERVER.version)}
    ${dependency('org.slf4j', 'slf4j-nop', TEST_SERVER.slf4jNop)}
  </dependencies>
</project>
`;
}

/**
 * The JVM flags favour a quick start and a small heap: a test file starts its own server, whose
 * work (a few workflows) never needs the optimising compiler.
 */
function launcherScript(java: string): string {
  return `#!/bin/sh
# Temporal's Java test server ${TEST_SERVER.version} (time skipping); first argument: the port.
exec "${java}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -cp "$(dirname "$0")/lib/*" io.temporal.testserver.TestServer "$@"
`;
}

async function installWithMaven(mvn: string, java: string, cacheDir: string, launcher: string, env: NodeJS.ProcessEnv, log: (msg: string) => void) {
  const tmp = path.join(cacheDir, `.download-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmp, { recursive: true });
  const started = Date.now();
  log(`Descargando el servidor de pruebas de Temporal ${TEST_SERVER.version} con Maven (unos 40 MB)…`);
  try {
    await fs.writeFile(path.join(tmp, 'pom.xml'), pom());
    const lib = path.join(tmp, 'lib');
    const args = ['-B', '-q', '-Dstyle.color=never', '--strict-checksums', '-f', path.join(tmp, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`];
    // Maven's colour resets come through even in batch mode: lines that are nothing else are dropped.
    const readable = (line: string) => {
      if (stripVTControlCharacters(line).replace(/\s|\[mvn\]/g, '') !== '') log(line);
    };
    const { code, tail } = await runStreaming(mvn, args, env, readable, 'mvn', 'Aún descargando el servidor de pruebas…', started);
    if (code !== 0) {
      throw new TestServerNotFoundError(`Maven terminó con código ${code}${tail.length ? `:\n${tail.map((l) => `  ${l}`).join('\n')}` : ''}`);
    }
    const digest = await libraryDigest(lib);
    if (digest !== TEST_SERVER.librarySha256) {
      throw new TestServerNotFoundError(`las bibliotecas descargadas no coinciden con las esperadas (SHA-256 ${digest}, se esperaba ${TEST_SERVER.librarySha256})`);
    }
    await fs.rm(path.join(cacheDir, 'lib'), { recursive: true, force: true });
    await fs.rename(lib, path.join(cacheDir, 'lib'));
    // The launcher appears last, by an atomic rename: its presence means the folder is complete.
    const script = path.join(tmp, LAUNCHER_NAME);
    await fs.writeFile(script, launcherScript(java), { mode: 0o755 });
    await fs.rename(script, launcher);
    log(`Servidor de pruebas de Temporal ${TEST_SERVER.version} instalado y verificado en ${Math.round((Date.now() - started) / 1000)} s: ${launcher}`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
