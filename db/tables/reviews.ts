/** Quarterly reviews and what they leave on record: alerts, responses, drafts, decisions, reprogrammings, records, the audit log. */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { departments, goals } from './plan';

/** One quarterly review (workflow `revision-<year>-T<quarter>`); status and summary are a projection. */
export const cycles = pgTable('cycles', {
  workflowId: text('workflow_id').primaryKey(),
  fiscalYear: integer('fiscal_year').notNull(),
  quarter: integer('quarter').notNull(),
  responseWindow: text('response_window').notNull(),
  startedBy: text('started_by').notNull(),
  status: text('status').notNull(),
  summary: jsonb('summary'),
  startedAt: createdAt(),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'string' }),
});

/** The quarter's dashboard (tablero de control) as classified when the cycle ran (PE_F_024). */
export const dashboardSnapshots = pgTable('dashboard_snapshots', {
  cycleWorkflowId: text('cycle_workflow_id').primaryKey(),
  fiscalYear: integer('fiscal_year').notNull(),
  quarter: integer('quarter').notNull(),
  goals: jsonb('goals').notNull(),
  totals: jsonb('totals').notNull(),
  cumulativeLagging: jsonb('cumulative_lagging'),
  createdAt: createdAt(),
});

export const departmentReviews = pgTable('department_reviews', {
  workflowId: text('workflow_id').primaryKey(),
  cycleWorkflowId: text('cycle_workflow_id').notNull(),
  departmentCode: text('department_code')
    .notNull()
    .references(() => departments.code),
  fiscalYear: integer('fiscal_year').notNull(),
  quarter: integer('quarter').notNull(),
  status: text('status').notNull(),
  deadline: timestamp('deadline', { withTimezone: true, mode: 'string' }),
  outcome: text('outcome'),
  createdAt: createdAt(),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'string' }),
});

/** Every machine state a goal passed through in a review, with the snapshot (append-only). */
export const goalReviewStates = pgTable(
  'goal_review_states',
  {
    reviewWorkflowId: text('review_workflow_id').notNull(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    sequence: integer('sequence').notNull(),
    state: text('state').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    event: text('event').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.reviewWorkflowId, t.goalCode, t.sequence] })],
);

/** The quarterly alert sent to a department (PE-P-008 task 3). */
export const alerts = pgTable('alerts', {
  reviewWorkflowId: text('review_workflow_id').primaryKey(),
  departmentCode: text('department_code').notNull(),
  recipient: text('recipient'),
  /** The department_versions row the alert was sent with (its liaison and head); null on alerts sent before versions existed. */
  departmentVersion: integer('department_version'),
  goals: jsonb('goals').notNull(),
  deadline: timestamp('deadline', { withTimezone: true, mode: 'string' }).notNull(),
  /** The alert's consecutive number (PE-P-008-RAT-2026-0001); null on alerts sent before numbering. */
  recordNumber: text('record_number'),
  sentAt: createdAt(),
});

/**
 * When the alert's e-mail was delivered and the deadline it stated (append-only, one row per alert).
 * The deadline counts from the delivery, not from the recorded alert; `alerts.deadline` keeps the
 * alert's own time (or, on alerts sent before this table, the deadline written then).
 */
export const alertDeliveries = pgTable('alert_deliveries', {
  reviewWorkflowId: text('review_workflow_id').primaryKey(),
  deadline: timestamp('deadline', { withTimezone: true, mode: 'string' }).notNull(),
  /** Accepted by the SMTP server, or stored in the outbox; null when the deadline was fixed before sending (reviews started before the change). */
  deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'string' }),
  outboxId: integer('outbox_id'),
  createdAt: createdAt(),
});

/**
 * Every submission as it arrived, stored before it is acknowledged, refused or not; the verdict
 * (accepted, or refused with the reason) is recorded before the liaison gets the answer.
 */
export const responses = pgTable('responses', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  reviewWorkflowId: text('review_workflow_id').notNull(),
  /** The submission as read; null when it cannot be kept as JSON (a NUL character, broken Unicode, over the size cap). */
  payload: jsonb('payload'),
  /** Where it came from: 'form' (the signed link's page) or 'api' (the CLI uses the API too); null on older rows. */
  source: text('source'),
  /** The request body's bytes exactly as they arrived (base64, capped at 512 KB), NUL characters included. */
  rawBase64: text('raw_base64'),
  receivedAt: createdAt(),
  /** Verdicts of submissions stored before response_verdicts existed; newer ones are there. */
  accepted: boolean('accepted'),
  rejectionReason: text('rejection_reason'),
});

/** The verdict on a stored submission (append-only: the submission row is never updated). */
export const responseVerdicts = pgTable('response_verdicts', {
  responseId: integer('response_id').primaryKey(),
  accepted: boolean('accepted').notNull(),
  rejectionReason: text('rejection_reason'),
  createdAt: createdAt(),
});

/** A liaison's saved, unsent answer (each save is a new row; the latest one is resumed). */
export const responseDrafts = pgTable('response_drafts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  reviewWorkflowId: text('review_workflow_id').notNull(),
  round: integer('round').notNull(),
  fields: jsonb('fields').$type<Record<string, string>>().notNull(),
  createdAt: createdAt(),
});

/** The coordinator's decisions on a review, one per round of agreement. */
export const decisions = pgTable(
  'decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewWorkflowId: text('review_workflow_id').notNull(),
    round: integer('round').notNull(),
    decision: text('decision', { enum: ['approve', 'requestChanges'] }).notNull(),
    coordinator: text('coordinator').notNull(),
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('decisions_round').on(t.reviewWorkflowId, t.round)],
);

export const reprogrammings = pgTable(
  'reprogrammings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewWorkflowId: text('review_workflow_id').notNull(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    fiscalYear: integer('fiscal_year').notNull(),
    before: jsonb('before').notNull(),
    after: jsonb('after').notNull(),
    justification: text('justification').notNull(),
    commitment: text('commitment').notNull(),
    approvedBy: text('approved_by').notNull(),
    /** The coordinator's decision that approved it (round of agreement). */
    decisionRound: integer('decision_round'),
    /** True when the change alters the meta cuatrienio: only applied with an Acuerdo del Concejo. */
    altersTermTarget: boolean('alters_term_target').notNull().default(false),
    councilAgreement: text('council_agreement'),
    /** The registered Acuerdo del Concejo (council_agreements.id); null before the registry. */
    councilAgreementId: integer('council_agreement_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reprogrammings_goal').on(t.reviewWorkflowId, t.goalCode)],
);

/** Constancias de negativa de ajustes and records of kept programming with commitment. */
export const records = pgTable(
  'records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewWorkflowId: text('review_workflow_id').notNull(),
    kind: text('kind', { enum: ['noAdjustment', 'commitment'] }).notNull(),
    departmentCode: text('department_code').notNull(),
    goalCodes: jsonb('goal_codes').$type<string[]>().notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('records_kind').on(t.reviewWorkflowId, t.kind)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Deterministic key (workflow ID + step) so a retried activity logs once. */
    idempotencyKey: text('idempotency_key'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    details: jsonb('details'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('audit_log_idempotency').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`)],
);
