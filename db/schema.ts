import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { identitySources } from '../domain/municipality';

/**
 * Records a municipality must keep (Ley 594 de 2000): nothing here is updated in place except
 * projections that say so. Programming and progress are versioned; responses, decisions,
 * reprogrammings and records are append-only and keyed so a retried activity cannot duplicate them.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();

/** The Plan de Desarrollo Municipal being followed: its term and its classification thresholds. */
export const plans = pgTable('plans', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  municipality: text('municipality').notNull(),
  daneCode: text('dane_code').notNull(),
  termStartYear: integer('term_start_year').notNull(),
  termEndYear: integer('term_end_year').notNull(),
  /** Per-plan thresholds ({ behindBelowPercent, overachievedAbovePercent }); null = configuration defaults. */
  thresholds: jsonb('thresholds').$type<{ behindBelowPercent: number; overachievedAbovePercent: number } | null>(),
  createdAt: createdAt(),
});

/**
 * Every file imported (Plan Indicativo or Hoja de Captura): a plan version when it changed
 * something. The same file twice is recognised by its hash and changes nothing.
 */
export const planImports = pgTable(
  'plan_imports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['indicativePlan', 'progressReport'] }).notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    importedBy: text('imported_by').notNull(),
    /** What changed: goals added/removed/changed, programming and progress versions created. */
    summary: jsonb('summary').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('plan_imports_file').on(t.kind, t.sha256)],
);

/** A department as it is now (the latest of its department_versions; the version number says which). */
export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** Líder de la dependencia: signs commitments. */
  headName: text('head_name'),
  headTitle: text('head_title'),
  headEmail: text('head_email'),
  /** Enlace de la dependencia: answers the quarterly alert. */
  liaisonName: text('liaison_name'),
  liaisonEmail: text('liaison_email'),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
});

/**
 * Every version of a department's name, head and liaison (append-only): a change is a new version,
 * so an alert keeps the version it was sent with (alerts.department_version).
 */
export const departmentVersions = pgTable(
  'department_versions',
  {
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    headName: text('head_name'),
    headTitle: text('head_title'),
    headEmail: text('head_email'),
    liaisonName: text('liaison_name'),
    liaisonEmail: text('liaison_email'),
    /** Who made the change (`user:<id>`), or the import that did (`import:<id>`). */
    changedBy: text('changed_by').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.departmentCode, t.version] })],
);

export const goals = pgTable('goals', {
  code: text('code').primaryKey(),
  departmentCode: text('department_code')
    .notNull()
    .references(() => departments.code),
  strategicLine: text('strategic_line').notNull(),
  sector: text('sector').notNull().default(''),
  programCode: text('program_code').notNull().default(''),
  program: text('program').notNull(),
  productCode: text('product_code').notNull().default(''),
  productName: text('product_name').notNull().default(''),
  indicatorCode: text('indicator_code').notNull().default(''),
  name: text('name').notNull(),
  indicator: text('indicator').notNull(),
  unit: text('unit').notNull(),
  termTarget: doublePrecision('term_target').notNull(),
  accumulation: text('accumulation', { enum: ['sum', 'flow', 'stock', 'reduction'] }).notNull(),
  /** False once a newer Plan Indicativo no longer has the goal; its history stays. */
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

/** The goal's descriptive attributes as each import set them (the goals row holds the latest). */
export const goalRevisions = pgTable(
  'goal_revisions',
  {
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    planImportId: integer('plan_import_id').notNull(),
    attributes: jsonb('attributes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.goalCode, t.planImportId] })],
);

/** Programming of a goal for one fiscal year; a reprogramming adds a version, never edits one. */
export const goalProgramming = pgTable(
  'goal_programming',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    fiscalYear: integer('fiscal_year').notNull(),
    version: integer('version').notNull(),
    annualTarget: doublePrecision('annual_target'),
    quarterlyTargets: jsonb('quarterly_targets').$type<[number | null, number | null, number | null, number | null] | null>(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    reprogrammingId: integer('reprogramming_id'),
    planImportId: integer('plan_import_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('goal_programming_version').on(t.goalCode, t.fiscalYear, t.version)],
);

/** Executed value reported for a goal in a quarter (Hoja de Captura); corrections add a version. */
export const goalProgress = pgTable(
  'goal_progress',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    fiscalYear: integer('fiscal_year').notNull(),
    quarter: integer('quarter').notNull(),
    version: integer('version').notNull(),
    executed: doublePrecision('executed').notNull(),
    evidence: text('evidence'),
    reportedBy: text('reported_by').notNull(),
    planImportId: integer('plan_import_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('goal_progress_version').on(t.goalCode, t.fiscalYear, t.quarter, t.version)],
);

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
  sentAt: createdAt(),
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
  accepted: boolean('accepted'),
  rejectionReason: text('rejection_reason'),
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

/**
 * Every e-mail the system sends, kept as sent (the record of alerts, reminders and constancias).
 * With no SMTP configured this is the outbox an administrator reads; with SMTP it is the log.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Deterministic key (workflow ID + purpose): a retried activity never sends twice. */
    idempotencyKey: text('idempotency_key').notNull(),
    to: jsonb('to').$type<string[]>().notNull(),
    cc: jsonb('cc').$type<string[]>().notNull().default([]),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    attachments: jsonb('attachments').$type<{ fileName: string; contentType: string; documentId: number | null; sha256: string }[]>().notNull().default([]),
    /** 'stored' (no SMTP: kept in the outbox), 'sending', 'sent', 'failed'. */
    status: text('status', { enum: ['stored', 'sending', 'sent', 'failed'] }).notNull(),
    transport: text('transport', { enum: ['outbox', 'smtp'] }).notNull(),
    messageId: text('message_id'),
    error: text('error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [uniqueIndex('outbox_idempotency').on(t.idempotencyKey)],
);

/** Generated documents (PDF constancias, justification documents, matrices attached to e-mails). */
export const documents = pgTable(
  'documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Deterministic key (review workflow ID + kind): the same record never gets a second, different file. */
    documentKey: text('document_key').notNull(),
    kind: text('kind').notNull(),
    reviewWorkflowId: text('review_workflow_id'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sha256: text('sha256').notNull(),
    content: text('content_base64').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('documents_key').on(t.documentKey)],
);

export const users = pgTable(
  'users',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['admin', 'operator', 'coordinator', 'liaison', 'viewer'] }).notNull(),
    /** Liaisons are bound to one department. */
    departmentCode: text('department_code'),
    passwordHash: text('password_hash'),
    /** No longer used: failed logins are counted in login_throttles (they slow down, never lock). */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'string' }),
    /** Set when an admin removes the person's data (Ley 1581 de 2012); the row keeps the role for the records. */
    personalDataRemovedAt: timestamp('personal_data_removed_at', { withTimezone: true, mode: 'string' }),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email').on(t.email)],
);

/** express-session's store: the session data by session ID; logout and revocation delete or revoke it. */
export const sessions = pgTable('sessions', {
  sid: text('sid').primaryKey(),
  userId: integer('user_id'),
  data: jsonb('data').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
});

export const apiTokens = pgTable('api_tokens', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: integer('user_id').notNull(),
  name: text('name').notNull(),
  /** SHA-256 of the bearer token; shown once at creation. */
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  /** Refreshed at most once a minute per token (auth/apiTokens.ts). */
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  /** After this the token is refused (API_TOKEN_DAYS, 90 by default; tokens older than the column get 90 days from the migration). */
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' })
    .notNull()
    .default(sql`now() + interval '90 days'`),
});

/**
 * One-time steps of an installation, claimed once and for all: the primary key makes exactly one
 * claimant win even when requests race (e.g. `first-admin`, the first administrator's creation).
 */
export const installationClaims = pgTable('installation_claims', {
  step: text('step').primaryKey(),
  userId: integer('user_id'),
  createdAt: createdAt(),
});

/**
 * Failed logins per account and client (auth/loginThrottle.ts). `account` is `user:<id>`, or a hash of
 * an unknown e-mail so unknown e-mails behave like accounts; `client` is `ip:<address>`, or `*` for
 * the account as a whole. Consecutive failures slow further attempts down until `blockedUntil`.
 */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    account: text('account').notNull(),
    client: text('client').notNull(),
    failures: integer('failures').notNull().default(0),
    blockedUntil: timestamp('blocked_until', { withTimezone: true, mode: 'string' }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'string' }),
    /** A correct password came from this client: it is a known client of the account. */
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [primaryKey({ columns: [t.account, t.client] })],
);

/** A liaison's saved, unsent answer (each save is a new row; the latest one is resumed). */
export const responseDrafts = pgTable('response_drafts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  reviewWorkflowId: text('review_workflow_id').notNull(),
  round: integer('round').notNull(),
  fields: jsonb('fields').$type<Record<string, string>>().notNull(),
  createdAt: createdAt(),
});

/** Raw bytes (bytea): PGlite returns a Uint8Array and node-postgres a Buffer; both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * A file uploaded to be imported once the operator has seen its preview (the import run and rolled
 * back). The bytes are kept, so confirming imports exactly the previewed file. Status: pending →
 * committing → committed | failed (failed may be confirmed again); pending | failed → discarded.
 */
export const importUploads = pgTable('import_uploads', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind', { enum: ['indicativePlan', 'progressReport'] }).notNull(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  content: bytea('content').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  status: text('status', { enum: ['pending', 'committing', 'committed', 'discarded', 'failed'] }).notNull().default('pending'),
  /** The dry run: `{ ok: true, summary, rows, basisImportId }` or `{ ok: false, message, errors }`. */
  preview: jsonb('preview').notNull(),
  /** The real import: `{ ok: true, summary, rows }` or `{ ok: false, message, errors }`. */
  result: jsonb('result'),
  /** Who confirmed or discarded it. */
  decidedBy: text('decided_by'),
  /** The operator's column mapping for this file ({ header, field }[]); applied to its preview and import, saved when imported. */
  columnMap: jsonb('column_map').$type<{ header: string; field: string }[]>(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

/**
 * How the municipality's own headers map to the fields (imports/columnMappings.ts): saved when a
 * file imported with a mapping, applied to the next file of that kind with the same headers.
 */
export const columnMappings = pgTable(
  'column_mappings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['indicativePlan', 'progressReport'] }).notNull(),
    /** sha256 of the file's normalised headers, in order. */
    headersSignature: text('headers_signature').notNull(),
    headers: jsonb('headers').$type<string[]>().notNull(),
    /** { header (as written), field (a ColumnSpec field, or 'ignore') }[]. */
    entries: jsonb('entries').$type<{ header: string; field: string }[]>().notNull(),
    savedBy: text('saved_by').notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('column_mappings_headers').on(t.kind, t.headersSignature)],
);

/** The municipality this installation serves (one row, id 1): from the plan's title rows, a page or the configuration. */
export const municipalityIdentity = pgTable('municipality_identity', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  daneCode: text('dane_code').notNull(),
  source: text('source', { enum: identitySources }).notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});
