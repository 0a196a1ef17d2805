import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  resolveTemporalCli,
  temporalCliCacheDir,
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

function cachedBinary(env: NodeJS.ProcessEnv): string {
  return path.join(temporalCliCacheDir(env), 'temporal');
}

describe('temporalCliCacheDir', () => {
  it('uses XDG_CACHE_HOME when set', () => {
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe(`/x/cache/metas-pdm/temporal-cli-${TEMPORAL_CLI_VERSION}`);
  });

  it('falls back to ~/.cache', () => {
    expect(temporalCliCacheDir({ HOME: '/home/ana' })).toBe(`/home/ana/.cache/metas-pdm/temporal-cli-${TEMPORAL_CLI_VERSION}`);
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

  it('throws TemporalCliNotFoundError when building is allowed but Go is not installed', async () => {
    await expect(resolveTemporalCli({ env: sandboxEnv() })).rejects.toThrow(TemporalCliNotFoundError);
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

      const cached = cachedBinary(env);
      expect(results).toEqual([cached, cached]);
      const invocations = (await fs.readFile(calls, 'utf8')).trim().split('\n');
      expect(invocations).toHaveLength(1);
      expect(invocations[0]).toContain(`install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`);
      // GOBIN is a temp folder inside the cache dir (then renamed), never the final path directly.
      expect(invocations[0]).toContain(`GOBIN=${path.join(temporalCliCacheDir(env), '.build-')}`);
      expect(logs.some((l) => l.startsWith(`Compilando Temporal CLI ${TEMPORAL_CLI_VERSION} con Go`))).toBe(true);
      expect(logs).toContain('  [go] go: downloading github.com/temporalio/cli v1.5.1');
      // No lock or temp build folder left behind.
      expect(await fs.readdir(temporalCliCacheDir(env))).toEqual(['temporal']);

      // Next call finds it in the cache without running go again.
      await expect(resolveTemporalCli({ env })).resolves.toBe(cached);
      expect((await fs.readFile(calls, 'utf8')).trim().split('\n')).toHaveLength(1);
    });

    it('reports a failed build in Spanish and leaves no partial binary or lock', async () => {
      const { env } = await fakeGo({ fail: true });

      await expect(resolveTemporalCli({ env })).rejects.toThrow(/Falló la compilación de Temporal CLI[\s\S]*network unreachable/);
      expect(await fs.readdir(temporalCliCacheDir(env))).toEqual([]);
    });

    it('takes over a lock left by a dead process', async () => {
      const { env } = await fakeGo();
      const dir = temporalCliCacheDir(env);
      await fs.mkdir(dir, { recursive: true });
      // pid 2^22+1 is above Linux's pid_max default, so it can't be alive.
      await fs.writeFile(path.join(dir, '.build.lock'), JSON.stringify({ pid: 4194305, host: os.hostname() }));

      await expect(resolveTemporalCli({ env })).resolves.toBe(cachedBinary(env));
    });
  });
});
