/** Accounts and access: users, sessions, API tokens, installation claims and login throttles. */
import { sql } from 'drizzle-orm';
import { bigserial, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

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
