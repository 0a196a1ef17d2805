/** Acuerdos del Concejo and the versions of the meta cuatrienio they set: both insert-only. */
import { bigserial, date, doublePrecision, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { documents } from './mail';
import { goals } from './plan';

/**
 * An Acuerdo del Concejo registered by the Oficina de Planeación: its number, its date and the
 * signed PDF (kept in `documents`, kind "councilAgreement"). Never updated; a correction is a new acuerdo.
 */
export const councilAgreements = pgTable(
  'council_agreements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** "012" as the Concejo numbers it (unique with its date). */
    number: text('number').notNull(),
    agreementDate: date('agreement_date', { mode: 'string' }).notNull(),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    registeredBy: text('registered_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('council_agreements_number_date').on(t.number, t.agreementDate)],
);

/**
 * The official meta cuatrienio of a goal, one version per Acuerdo del Concejo that changed it
 * (version 1, 2…); without a version the plan's `goals.term_target` is the official one.
 */
export const goalTermTargets = pgTable(
  'goal_term_targets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    version: integer('version').notNull(),
    termTarget: doublePrecision('term_target').notNull(),
    /** The official meta cuatrienio this version replaced. */
    previousTermTarget: doublePrecision('previous_term_target').notNull(),
    councilAgreementId: integer('council_agreement_id')
      .notNull()
      .references(() => councilAgreements.id),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('goal_term_targets_version').on(t.goalCode, t.version), uniqueIndex('goal_term_targets_agreement').on(t.councilAgreementId, t.goalCode)],
);
