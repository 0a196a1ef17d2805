/**
 * Records a municipality must keep (Ley 594 de 2000): nothing here is updated in place except
 * projections that say so. Programming and progress are versioned; responses, decisions,
 * reprogrammings and records are append-only and keyed so a retried activity cannot duplicate them.
 *
 * The tables are split by concern under db/tables/; this module gathers them (drizzle.config.ts and
 * every `import * as t from '../db/schema'`).
 */

export * from './tables/plan';
export * from './tables/imports';
export * from './tables/reviews';
export * from './tables/mail';
export * from './tables/accounts';
export * from './tables/lateResponses';
export * from './tables/branding';
export * from './tables/signing';
export * from './tables/concejo';
export * from './tables/recordFormats';
export * from './tables/actionPlan';
