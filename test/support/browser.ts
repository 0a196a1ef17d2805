import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { createUser, type Role } from '../../auth';
import type { Database } from '../../db/client';

/**
 * A real browser for the tests: Debian's chromium (`apt-get install chromium`; Playwright's own
 * download does not work on these machines) driven by playwright-core, headless, with a fresh
 * profile per launch and every background service that could reach the network turned off.
 */
export const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A phone-sized screen (iPhone 12–15 class), as liaisons open their e-mailed link. */
export const phoneViewport = { width: 390, height: 844 };
export const desktopViewport = { width: 1280, height: 900 };

/** Git-ignored; rewritten on each run. */
export const artifactsDir = path.resolve(__dirname, '../../test-artifacts');
export const screenshotDir = path.join(artifactsDir, 'screenshots');

export interface TestBrowser {
  /** The persistent context of the launch (its own fresh profile). */
  context: BrowserContext;
  /** An isolated context (own cookies): one per person in a story. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** An isolated context with a phone's screen, touch and user agent. */
  phoneContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser({ baseURL }: { baseURL?: string } = {}): Promise<TestBrowser> {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(`No se encontró chromium en ${executablePath}: instálelo con "apt-get install -y chromium" o defina CHROMIUM_PATH`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: chromiumFlags,
    baseURL,
    viewport: desktopViewport,
    locale: 'es-CO',
    timezoneId: 'America/Bogota',
  });
  const browser = context.browser();
  if (!browser) throw new Error('playwright-core no expuso el navegador del contexto persistente');
  const contexts: BrowserContext[] = [];
  const newContext = async (options: BrowserContextOptions = {}) => {
    const created = await browser.newContext({ baseURL, viewport: desktopViewport, locale: 'es-CO', timezoneId: 'America/Bogota', ...options });
    contexts.push(created);
    return created;
  };
  return {
    context,
    newContext,
    phoneContext: (options = {}) =>
      newContext({
        viewport: phoneViewport,
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        userAgent:
          'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
        ...options,
      }),
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A listening HTTP server whose handler is set later: its URL exists before the app does, so the
 * workflows' e-mails can carry links to it (the harness's `publicUrl`).
 */
export interface TestServer {
  url: string;
  serve(handler: http.RequestListener): void;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  let handler: http.RequestListener | null = null;
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    res.statusCode = 503;
    res.end('not ready');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    serve: (h) => void (handler = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const testPassword = 'una clave de pruebas suficientemente larga';

export interface TestAccount {
  id: number;
  email: string;
  password: string;
  name: string;
  role: Role;
}

/** A real account to sign in with through /login. */
export async function createAccount(db: Database, role: Role, name: string, departmentCode?: string): Promise<TestAccount> {
  const email = `${role}-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  const user = await createUser(db, { email, name, role, departmentCode, password: testPassword });
  return { id: user.id, email, password: testPassword, name, role };
}

/** Signs in through the login form, as a person would. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Ingresar' }).click()]);
}

const axeSource = () => fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core (from node_modules, nothing fetched) on the current page; returns the violations of the
 * given impacts (default: serious and critical). The app's CSP forbids inline scripts, so axe is evaluated through the
 * DevTools protocol (page.evaluate of its source), which the page's CSP does not govern.
 */
export async function scanAccessibility(page: Page, { impacts = ['serious', 'critical'] }: { impacts?: string[] } = {}): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const scope = globalThis as unknown as { axe: { run(context: unknown, options: object): Promise<AxeResult> }; document: unknown };
    const result = await scope.axe.run(scope.document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
  return violations.filter((v) => v.impact !== null && impacts.includes(v.impact));
}

/** Empties the screenshot folder, so it shows this run only. */
export function resetScreenshots(): void {
  fs.rmSync(screenshotDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotDir, { recursive: true });
}

/**
 * A screenshot in test-artifacts/screenshots/<name>.png: the whole page, or one element (e.g. the
 * root of an SVG document, which has no page to measure).
 */
export async function screenshot(page: Page, name: string, { element }: { element?: Locator } = {}): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
  if (element) await element.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Readable list of violations for an assertion message. */
export const describeViolations = (violations: AxeViolation[]) =>
  violations.map((v) => `${v.impact} ${v.id}: ${v.help} → ${v.nodes.slice(0, 5).join(', ')}`).join('\n');

export interface HorizontalOverflow {
  scrollWidth: number;
  clientWidth: number;
  /** Elements whose right edge passes the viewport and that no scrolling box clips (at most 8). */
  culprits: string[];
}

/** Whether the page scrolls sideways (document.scrollingElement.scrollWidth > clientWidth), and what sticks out. */
export function horizontalOverflow(page: Page): Promise<HorizontalOverflow> {
  return page.evaluate<HorizontalOverflow>(`(() => {
    const root = document.scrollingElement;
    const width = root.clientWidth;
    const culprits = [];
    for (const element of document.body.querySelectorAll('*')) {
      const right = element.getBoundingClientRect().right;
      if (right <= width + 1) continue;
      let clipped = false;
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(parent).overflowX)) { clipped = true; break; }
      }
      if (clipped) continue;
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + (typeof element.className === 'string' && element.className.trim() ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      culprits.push(name + ' (' + Math.round(right) + ' px)');
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits: culprits.slice(0, 8) };
  })()`);
}
