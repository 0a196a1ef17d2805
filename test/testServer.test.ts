import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { libraryDigest, resolveTestServer, TEST_SERVER, testServerCacheDir, TestServerNotFoundError } from '../temporal/testServer';

/** Provisioning of Temporal's Java test server (the time-skipping deadline tests run on it). */
describe('time-skipping test server provisioning', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-test-server-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('is cached by version and its libraries match the pinned digest', async () => {
    const launcher = process.env.TEST_TEMPORAL_TEST_SERVER as string;
    expect(launcher).toBe(path.join(testServerCacheDir(), 'temporal-test-server'));
    expect(launcher).toContain(`temporal-test-server-${TEST_SERVER.version}`);
    expect(await libraryDigest(path.join(path.dirname(launcher), 'lib'))).toBe(TEST_SERVER.librarySha256);
    expect(fs.readFileSync(launcher, 'utf8')).toContain('io.temporal.testserver.TestServer "$@"');
  });

  it('tells what to install when it is missing, and never runs Maven when asked only to look', async () => {
    const env = { HOME: home, PATH: '' };
    await expect(resolveTestServer({ env, install: false })).rejects.toThrow(/ejecute npm run provision:temporal/);
    const missing = await resolveTestServer({ env }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TestServerNotFoundError);
    expect((missing as Error).message).toMatch(/Java no está instalado[\s\S]*apt-get install -y default-jre-headless maven/);
  });

  it('takes TEMPORAL_TEST_SERVER_PATH only when it is an executable file', async () => {
    const script = path.join(home, 'servidor');
    fs.writeFileSync(script, '#!/bin/sh\n');
    await expect(resolveTestServer({ env: { HOME: home, TEMPORAL_TEST_SERVER_PATH: script } })).rejects.toThrow(/no es un archivo ejecutable/);
    fs.chmodSync(script, 0o755);
    await expect(resolveTestServer({ env: { HOME: home, TEMPORAL_TEST_SERVER_PATH: script } })).resolves.toBe(script);
  });
});
