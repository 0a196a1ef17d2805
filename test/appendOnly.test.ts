import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { demoGoals, loadDemoData } from '../db/demo';
import { openTestDatabase, testDatabaseKinds } from './support/harness';

/** The record tables the database itself keeps append-only (db/migrations/0016_append_only_records.sql, 0020_append_only_later_records.sql). */
const recordTables = [
  'alerts',
  'alert_deliveries',
  'audit_log',
  'council_agreements',
  'dashboard_snapshots',
  'decisions',
  'department_versions',
  'documents',
  'goal_financing',
  'goal_programming',
  'goal_progress',
  'goal_review_states',
  'late_responses',
  'goal_term_targets',
  'record_format_versions',
  'records',
  'reprogrammings',
  'response_verdicts',
  'responses',
  'signing_certificates',
];

/** One row in every record table the demo data leaves empty. */
async function insertOneRecordEach(db: Database): Promise<void> {
  const goal = demoGoals[0]!.code;
  const review = 'revision-2026-T3-APPEND';
  await db.execute(sql`insert into alerts (review_workflow_id, department_code, goals, deadline) values (${review}, 'SINF', '[]', now())`);
  await db.execute(sql`insert into alert_deliveries (review_workflow_id, deadline, delivered_at) values (${review}, now(), now())`);
  await db.execute(sql`insert into responses (id, review_workflow_id, payload) values (1, ${review}, '{}')`);
  await db.execute(sql`insert into response_verdicts (response_id, accepted) values (1, true)`);
  await db.execute(sql`insert into decisions (review_workflow_id, round, decision, coordinator) values (${review}, 1, 'approve', 'Coordinación')`);
  await db.execute(sql`insert into reprogrammings (review_workflow_id, goal_code, fiscal_year, before, after, justification, commitment, approved_by)
    values (${review}, ${goal}, 2026, '[1,1,1,1]', '[0,1,1,2]', 'j', 'c', 'Coordinación')`);
  await db.execute(sql`insert into records (review_workflow_id, kind, department_code, goal_codes, body) values (${review}, 'noAdjustment', 'SINF', '[]', 'constancia')`);
  await db.execute(sql`insert into documents (document_key, kind, file_name, content_type, sha256, content_base64) values ('append', 'noAdjustmentRecord', 'c.pdf', 'application/pdf', 'x', 'eA==')`);
  await db.execute(sql`insert into audit_log (actor, action, subject) values ('sistema', 'prueba', ${review})`);
  await db.execute(sql`insert into late_responses (review_workflow_id, cycle_workflow_id, department_code, fiscal_year, quarter, round, respondent_name, answers, raw_form, source)
    values (${review}, 'revision-2026-T3', 'SINF', 2026, 3, 1, 'Enlace', '[]', '{}', 'closed')`);
  await db.execute(sql`insert into goal_review_states (review_workflow_id, goal_code, sequence, state, snapshot, event) values (${review}, ${goal}, 1, 'alerted', '{}', 'alert.sent')`);
  await db.execute(sql`insert into dashboard_snapshots (cycle_workflow_id, fiscal_year, quarter, goals, totals) values ('revision-2026-T3', 2026, 3, '[]', '{}')`);
  await db.execute(sql`insert into signing_certificates (uploaded_by) values ('admin')`);
  await db.execute(sql`insert into record_format_versions (format_key, code, version, approved_on, changed_by) values ('noAdjustmentRecord', 'PE-P-008-F01', '02', '2026-06-01', 'admin')`);
  await db.execute(sql`insert into goal_financing (plan_import_id, goal_code, resources) values (1, ${goal}, '[]')`);
  await db.execute(sql`insert into council_agreements (number, agreement_date, document_id, registered_by)
    select '012', '2026-05-30', id, 'operador' from documents where document_key = 'append'`);
  await db.execute(sql`insert into goal_term_targets (goal_code, version, term_target, previous_term_target, council_agreement_id, created_by)
    select ${goal}, 2, 10, 8, id, 'operador' from council_agreements where number = '012'`);
}

/** The database's message, whether the driver or drizzle wraps it. */
async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : String(error);
  }
  return 'accepted';
}

const count = async (db: Database, table: string) =>
  Number(((await db.execute(sql.raw(`select count(*)::int as n from "${table}"`))) as unknown as { rows: { n: number }[] }).rows[0]?.n);

describe.each(testDatabaseKinds)('record tables on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const handle = await openTestDatabase(kind);
    db = handle.db;
    close = handle.close;
    await loadDemoData(db);
    await insertOneRecordEach(db);
  }, 120_000);
  afterAll(() => close());

  it('has the append-only trigger on exactly the record tables', async () => {
    const { rows } = (await db.execute(sql`select c.relname as name from pg_trigger g join pg_class c on c.oid = g.tgrelid where g.tgname = 'append_only' order by 1`)) as unknown as { rows: { name: string }[] };
    expect(rows.map((r) => r.name).sort()).toEqual([...recordTables].sort());
  });

  it.each(recordTables)('%s refuses UPDATE, DELETE and TRUNCATE and keeps its rows', async (table) => {
    const before = await count(db, table);
    expect(before).toBeGreaterThan(0);
    const [column] = ((await db.execute(sql`select column_name as name from information_schema.columns where table_name = ${table} order by ordinal_position limit 1`)) as unknown as { rows: { name: string }[] }).rows;
    const message = new RegExp(`La tabla ${table} guarda registros: no admite (UPDATE|DELETE|TRUNCATE)`);
    expect(await refusal(db.execute(sql.raw(`update "${table}" set "${column!.name}" = "${column!.name}"`)))).toMatch(message);
    expect(await refusal(db.execute(sql.raw(`delete from "${table}"`)))).toMatch(message);
    expect(await refusal(db.execute(sql.raw(`truncate "${table}" cascade`)))).toMatch(message);
    expect(await count(db, table)).toBe(before);
  });

  it('still takes new rows (a new version instead of a change)', async () => {
    const goal = demoGoals[0]!.code;
    await db.execute(sql`insert into goal_progress (goal_code, fiscal_year, quarter, version, executed, reported_by) values (${goal}, 2026, 4, 9, 1, 'prueba')`);
    await db.execute(sql`insert into audit_log (actor, action, subject) values ('sistema', 'otra', 'x')`);
    expect(await count(db, 'audit_log')).toBeGreaterThan(1);
  });

  it('leaves the projections and counters mutable (departments, record_numbers, outbox)', async () => {
    await db.execute(sql`update departments set name = name`);
    await db.execute(sql`insert into record_numbers (series, year, last) values ('prueba', 2026, 1) on conflict (series, year) do update set last = record_numbers.last + 1`);
    await db.execute(sql`update record_numbers set last = last + 1 where series = 'prueba'`);
  });
});
