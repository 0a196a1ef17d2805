/** Answers that arrived after a review's deadline (respuestas extemporáneas), kept for the coordinator. */
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Append-only: every late answer is a new row, never updated or deleted (Ley 594 de 2000). It does
 * not change the review (closed by its constancia, or refused by the workflow at its deadline); the
 * coordinator reads it and may act on it in a new round or in the next quarter's review.
 */
export const lateResponses = pgTable(
  'late_responses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewWorkflowId: text('review_workflow_id').notNull(),
    cycleWorkflowId: text('cycle_workflow_id').notNull(),
    departmentCode: text('department_code').notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    quarter: integer('quarter').notNull(),
    round: integer('round').notNull(),
    /** The deadline the answer missed. */
    deadline: timestamp('deadline', { withTimezone: true, mode: 'string' }),
    respondentName: text('respondent_name').notNull(),
    /** The answer as validated (ResponseSubmission: respondent and one answer per goal). */
    answers: jsonb('answers').notNull(),
    /** The form's fields exactly as typed (names and texts). */
    rawForm: jsonb('raw_form').$type<Record<string, string>>().notNull(),
    /** 'closed': the review had ended with its constancia; 'refused': the workflow refused it at the deadline. */
    source: text('source', { enum: ['closed', 'refused'] }).notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index('late_responses_review').on(t.reviewWorkflowId), index('late_responses_department').on(t.departmentCode)],
);
