import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './client';
import * as t from './schema';

/**
 * A stored submission's verdict is a row of its own (response_verdicts): the submission is never
 * updated. Submissions stored before that table carry theirs in responses.accepted.
 */
export const responseAccepted: SQL = sql`(${t.responses.accepted} is true or exists (select 1 from ${t.responseVerdicts} where ${t.responseVerdicts.responseId} = ${t.responses.id} and ${t.responseVerdicts.accepted}))`;

/** The verdict on a stored submission: accepted, or refused with the reason (the first verdict stands). */
export async function recordVerdict(db: Pick<Database, 'insert'>, responseId: number, verdict: { accepted: true } | { accepted: false; reason: string }): Promise<void> {
  await db
    .insert(t.responseVerdicts)
    .values({ responseId, accepted: verdict.accepted, rejectionReason: verdict.accepted ? null : verdict.reason })
    .onConflictDoNothing();
}

/** Stored submissions (those `where` selects, else all) with their verdicts (null while none is recorded), oldest first. */
export function responsesWithVerdicts(db: Database, where?: SQL) {
  return db
    .select({
      id: t.responses.id,
      reviewWorkflowId: t.responses.reviewWorkflowId,
      payload: t.responses.payload,
      source: t.responses.source,
      rawBase64: t.responses.rawBase64,
      receivedAt: t.responses.receivedAt,
      accepted: sql<boolean | null>`coalesce(${t.responseVerdicts.accepted}, ${t.responses.accepted})`,
      rejectionReason: sql<string | null>`coalesce(${t.responseVerdicts.rejectionReason}, ${t.responses.rejectionReason})`,
    })
    .from(t.responses)
    .leftJoin(t.responseVerdicts, sql`${t.responseVerdicts.responseId} = ${t.responses.id}`)
    .where(where)
    .orderBy(t.responses.id);
}
