import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema, loadConfig, type Config } from '../config';
import { searchAttributeTypes } from '../workflows/searchAttributes';

/**
 * temporal.docker-compose.yml cannot be run here (no Docker), so this reads it as data and checks
 * it against the code it must agree with: the configuration schema, the search attributes the
 * workflows set and the namespace the application uses.
 */

const root = path.resolve(__dirname, '..');
const composeText = fs.readFileSync(path.join(root, 'temporal.docker-compose.yml'), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number | string; published?: number | string; host_ip?: string })[];
  expose?: (string | number)[];
  command?: string | string[];
  entrypoint?: string | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
}

const compose = parse(composeText) as { services?: Record<string, Service> };
const services = compose.services ?? {};

/** Values for the variables the file requires from the operator (`${VAR:?message}`). */
const sampleValues: Record<string, string> = {
  APP_SECRET: 'a-sample-secret-that-is-long-enough-0123456789',
};

/** Compose interpolation: `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `${VAR}`, `$VAR`, `$$`. */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced, op, arg, bare) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    if (op === ':-' || op === '-') return arg as string;
    const sample = sampleValues[name];
    if (sample === undefined) throw new Error(`The compose file needs ${name} from the environment; add a sample value to this test`);
    return sample;
  });
}

function environmentOf(service: Service | undefined): Record<string, string> {
  const env = service?.environment ?? {};
  const entries: [string, string][] = Array.isArray(env)
    ? env.map((item) => {
        const at = item.indexOf('=');
        return at === -1 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value)]));
}

interface PortMapping {
  hostIp: string | null;
  published: number | null;
  target: number;
}

/** Short syntax `[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]` or the long syntax object. */
function portsOf(service: Service | undefined): PortMapping[] {
  return (service?.ports ?? []).map((port) => {
    if (typeof port === 'object') {
      return { hostIp: port.host_ip ?? null, published: port.published === undefined ? null : Number(port.published), target: Number(port.target) };
    }
    const parts = String(port).replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts.pop());
    const published = parts.length ? Number(parts.pop()) : null;
    const hostIp = parts.length ? parts.join(':') : null;
    return { hostIp, published, target };
  });
}

const commandText = (service: Service) => [service.entrypoint, service.command].flat().filter(Boolean).join('\n');

const dependsOn = (service: Service | undefined): Record<string, string | undefined> => {
  const deps = service?.depends_on ?? [];
  return Array.isArray(deps)
    ? Object.fromEntries(deps.map((name) => [name, undefined]))
    : Object.fromEntries(Object.entries(deps).map(([name, d]) => [name, d?.condition]));
};

const app = services.app;
const appEnvironment = environmentOf(app);
const defaults = loadConfig({});

/** The service that registers the namespace and the search attributes (one-shot admin tools). */
const setupEntry = Object.entries(services).find(([, s]) => commandText(s).includes('search-attribute create'));
const setupCommand = setupEntry ? commandText(setupEntry[1]) : '';

function hostAndPort(address: string): { host: string; port: number } {
  const match = /^([^:]+):(\d+)$/.exec(address);
  if (!match) throw new Error(`Not a host:port address: ${address}`);
  return { host: match[1] as string, port: Number(match[2]) };
}

describe('temporal.docker-compose.yml', () => {
  it('has the Temporal cluster, its database, the Web UI, the application and its database', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['temporal', 'temporal-ui', 'app', 'app-db']));

    const temporal = services.temporal as Service;
    expect(temporal.image).toMatch(/^temporalio\/auto-setup:1\.29\.\d+$/);
    const temporalEnv = environmentOf(temporal);
    expect(temporalEnv.DB).toBe('postgres12');
    const temporalDbName = temporalEnv.POSTGRES_SEEDS as string;
    expect(temporalDbName).toBeTruthy();
    expect(temporalDbName).not.toBe('app-db');
    const temporalDb = services[temporalDbName];
    expect(temporalDb?.image).toMatch(/^postgres:16(\.|$)/);
    expect(environmentOf(temporalDb).POSTGRES_PASSWORD).toBe(temporalEnv.POSTGRES_PWD);
    expect(dependsOn(temporal)[temporalDbName]).toBe('service_healthy');
    expect(temporal.healthcheck?.test).toBeDefined();

    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
    expect(services['app-db']?.image).toMatch(/^postgres:16(\.|$)/);
  });

  it('builds the application from the Dockerfile at the repository root', () => {
    const build = app?.build;
    const context = typeof build === 'string' ? build : build?.context;
    const dockerfile = (typeof build === 'object' && build.dockerfile) || 'Dockerfile';
    expect(context).toBe('.');
    const text = fs.readFileSync(path.join(root, dockerfile), 'utf8');
    expect(text).toMatch(/^FROM node:20-bookworm-slim\s*$/m);
    expect(text).toMatch(/npm ci/);
    expect(text).toMatch(/^USER (?!root)\S+/m);
    // One Node process with tsx as loader: SIGTERM from `docker stop` must reach scripts/start.ts
    // (npx would swallow it and the worker would never drain).
    expect(text).toMatch(/^CMD \["node", ?"--import", ?"tsx", ?"scripts\/start\.ts"\]\s*$/m);
  });

  it('sets only variables that config/index.ts knows', () => {
    // In zod 4 an object with .superRefine is still a ZodObject, so .shape lists every variable.
    const known = Object.keys(configSchema.shape);
    expect(known).toContain('TEMPORAL_ADDRESS');
    const names = Object.keys(appEnvironment);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !known.includes(name))).toEqual([]);
  });

  it('asks the operator for APP_SECRET instead of shipping one', () => {
    const raw = (app?.environment as Record<string, string> | undefined)?.APP_SECRET;
    expect(raw).toMatch(/^\$\{APP_SECRET:\?.+\}$/);
  });

  describe('the application configuration it produces', () => {
    let config: Config;
    beforeAll(() => {
      config = loadConfig(appEnvironment);
    });

    it('is a production configuration on an external cluster and PostgreSQL', () => {
      expect(config.NODE_ENV).toBe('production');
      expect(config.embeddedTemporal).toBe(false);
      expect(config.LOAD_DEMO_DATA).toBe(false);
      expect(config.TZ).toBe('America/Bogota');
      expect(config.RESPONSE_WINDOW).toBe('10d');
      // Listening on loopback inside a container would make the published port unreachable.
      expect(['0.0.0.0', '::']).toContain(config.HOST);
    });

    it('points DATABASE_URL at the app-db service with its own credentials', () => {
      const url = new URL(config.DATABASE_URL as string);
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(Object.keys(services)).toContain(url.hostname);
      const db = services[url.hostname];
      expect(db?.image).toMatch(/^postgres:/);
      const dbEnv = environmentOf(db);
      expect(decodeURIComponent(url.username)).toBe(dbEnv.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(dbEnv.POSTGRES_PASSWORD);
      expect(url.pathname.slice(1)).toBe(dbEnv.POSTGRES_DB ?? dbEnv.POSTGRES_USER);
      expect(Number(url.port || 5432)).toBe(5432);
      expect(dependsOn(app)[url.hostname]).toBe('service_healthy');
    });

    it('points TEMPORAL_ADDRESS at the temporal service on a port it exposes', () => {
      const { host, port } = hostAndPort(config.temporalAddress);
      expect(host).toBe('temporal');
      const temporal = services[host];
      const exposed = [...portsOf(temporal).map((p) => p.target), ...(temporal?.expose ?? []).map(Number)];
      expect(exposed).toContain(port);
      // The Web UI and the setup job talk to the same frontend.
      expect(environmentOf(services['temporal-ui']).TEMPORAL_ADDRESS).toBe(config.temporalAddress);
      expect(environmentOf(setupEntry?.[1]).TEMPORAL_ADDRESS).toBe(config.temporalAddress);
    });

    it('publishes the application on PORT', () => {
      const ports = portsOf(app);
      expect(ports.map((p) => p.target)).toContain(config.PORT);
      expect(ports.find((p) => p.target === config.PORT)?.published).toBe(config.PORT);
    });

    it('starts the application only after the namespace and search attributes exist', () => {
      expect(setupEntry).toBeDefined();
      expect(dependsOn(app)[setupEntry?.[0] as string]).toBe('service_completed_successfully');
    });
  });

  it('publishes the Temporal Web UI on port 8233, like the dev server', () => {
    const ui = portsOf(services['temporal-ui']).find((p) => p.published === 8233);
    expect(ui?.target).toBe(8080);
    expect(defaults.TEMPORAL_UI_PORT).toBe(8233);
  });

  it('registers exactly the search attributes the workflows set', () => {
    expect(setupCommand).toMatch(/temporal operator search-attribute create/);
    const registered = Object.fromEntries([...setupCommand.matchAll(/--name\s+(\S+)\s+--type\s+(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(registered).toEqual(searchAttributeTypes);
  });

  it("registers the application's default namespace and nothing else", () => {
    expect(setupCommand).toMatch(/temporal operator namespace create/);
    const namespaces = new Set([...setupCommand.matchAll(/--namespace[\s=]+(\S+)/g)].map((m) => m[1]));
    expect([...namespaces]).toEqual([defaults.TEMPORAL_NAMESPACE]);
    expect(appEnvironment.TEMPORAL_NAMESPACE ?? defaults.TEMPORAL_NAMESPACE).toBe(defaults.TEMPORAL_NAMESPACE);
    expect(environmentOf(services['temporal-ui']).TEMPORAL_DEFAULT_NAMESPACE).toBe(defaults.TEMPORAL_NAMESPACE);
  });
});
