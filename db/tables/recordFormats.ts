/** The controlled formats' code, version and approval date (domain/recordFormats.ts), append-only. */
import { bigserial, index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Each change an administrator made to a format, never overwritten: the latest row per format key is
 * in use; a format without rows uses its built-in default. A record printed earlier keeps the version
 * it was issued with (its file is stored once).
 */
export const recordFormatVersions = pgTable(
  'record_format_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    formatKey: text('format_key').notNull(),
    code: text('code').notNull(),
    version: text('version').notNull(),
    /** YYYY-MM-DD. */
    approvedOn: text('approved_on').notNull(),
    changedBy: text('changed_by').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('record_format_versions_key_idx').on(table.formatKey, table.id)],
);
