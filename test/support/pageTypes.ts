/**
 * Every page type of the application, in ONE list: the browser tests take a screenshot of each and
 * scan it with axe-core, and `npm run bench:pages` times each. Adding a page here adds all three.
 *
 * A path is built from the identifiers of a real run (a cycle, an answered review, e-mailed links…).
 * Pages marked `upcoming` are being built: while they answer 404 they are reported as not available
 * instead of failing; once they exist they are checked like the others.
 */

export interface PageIds {
  /** A quarterly cycle (`revision-<year>-T<q>`). */
  cycleWorkflowId: string;
  /** A review with a rich history (answered, decided). */
  reviewWorkflowId: string;
  /** A goal of that review. */
  goalCode: string;
  /** An outbox message. */
  outboxId: number;
  /** Paths of liaisons' e-mailed links: still open, already answered, expired (constancia recorded: takes a late answer). */
  liaisonLinks: { open: string; answered: string; expired: string };
  /** A respuesta extemporánea sent through the expired link. */
  lateResponseId: number;
}

export type PageRole = 'anonymous' | 'admin';

export interface PageType {
  /** Short name: the screenshot's file name and the benchmark's row. */
  name: string;
  path: (ids: PageIds) => string;
  /** Who opens it (default: an administrator, who passes every role check). */
  role?: PageRole;
  /** Opened on a phone-sized screen (the liaisons' pages). */
  phone?: boolean;
  /** Expected HTTP status (default 200). */
  status?: number;
  /** Being built by others: a 404 means "not available yet", not a failure. */
  upcoming?: boolean;
}

export const pageTypes: PageType[] = [
  { name: 'login', path: () => '/login', role: 'anonymous' },
  { name: 'ciclos', path: () => '/' },
  { name: 'coordinacion', path: () => '/coordinacion' },
  // The run's review is decided by then: its page shows the comparison without the decision forms (the flow scans those).
  { name: 'coordinacion-revision', path: (ids) => `/coordinacion/${ids.reviewWorkflowId}` },
  { name: 'correos', path: () => '/admin/correos' },
  { name: 'correo', path: (ids) => `/admin/correos/${ids.outboxId}` },
  { name: 'responder-formulario', path: (ids) => ids.liaisonLinks.open, role: 'anonymous', phone: true },
  { name: 'responder-registrada', path: (ids) => ids.liaisonLinks.answered, role: 'anonymous', phone: true },
  { name: 'responder-vencido', path: (ids) => ids.liaisonLinks.expired, role: 'anonymous', phone: true },
  { name: 'respuesta-extemporanea', path: (ids) => `/coordinacion/extemporaneas/${ids.lateResponseId}` },
  { name: 'no-encontrada', path: () => '/no-existe', status: 404 },
  { name: 'ciclo-nuevo', path: () => '/ciclos/nuevo' },
  {
    name: 'ciclo-vista-previa',
    path: (ids) => {
      const [, year, quarter] = /^revision-(\d{4})-T([1-4])$/.exec(ids.cycleWorkflowId) ?? [];
      return `/ciclos/nuevo?anio=${year}&trimestre=${quarter}&plazo=10d`;
    },
  },
  { name: 'ciclo', path: (ids) => `/ciclos/${ids.cycleWorkflowId}` },
  { name: 'tablero', path: () => '/tablero' },
  { name: 'meta', path: (ids) => `/metas/${ids.goalCode}` },
  { name: 'importaciones', path: () => '/importaciones' },
  { name: 'flujos', path: () => '/admin/flujos' },
  { name: 'flujo', path: (ids) => `/admin/flujos/${ids.reviewWorkflowId}` },
  { name: 'auditoria', path: () => '/admin/auditoria' },
  { name: 'municipio', path: () => '/admin/municipio' },
  { name: 'dependencias', path: () => '/dependencias' },
  { name: 'tokens', path: () => '/admin/tokens' },
];

/** Outcome of opening a page type: the page answered as expected, is not built yet, or is wrong. */
export function pageAvailability(type: PageType, status: number): 'ok' | 'unavailable' | 'unexpected' {
  const expected = type.status ?? 200;
  if (status === expected) return 'ok';
  if (type.upcoming && status === 404) return 'unavailable';
  return 'unexpected';
}
