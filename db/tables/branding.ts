/** The municipality's visual identity on pages and records: its escudo and its colours, both append-only. */
import { bigserial, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns';

/**
 * Each escudo an administrator uploaded, never overwritten: the latest row is the one in use (its id
 * is its version); a row without content records that the escudo was removed. Records issued with
 * an older escudo can still name the version they carried.
 */
export const municipalityEscudos = pgTable('municipality_escudos', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** image/png or image/jpeg (checked against the file's first bytes); null: removed. */
  mediaType: text('media_type', { enum: ['image/png', 'image/jpeg'] }),
  content: bytea('content'),
  byteLength: integer('byte_length').notNull().default(0),
  sha256: text('sha256'),
  fileName: text('file_name'),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: createdAt(),
});

/** Each choice of colours (#rrggbb), never overwritten: the latest row is in use. */
export const municipalityColors = pgTable('municipality_colors', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  primary: text('primary_color').notNull(),
  accent: text('accent_color').notNull(),
  updatedBy: text('updated_by').notNull(),
  createdAt: createdAt(),
});
