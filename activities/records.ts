import type { Database } from '../db/client';
import * as t from '../db/schema';
import { commitmentRecordText, noAdjustmentRecordText } from '../domain/records';
import type { GoalAnswer } from '../domain/review';
import type { Audit } from './audit';
import type { Notifications } from './notifications';
import type { ReviewRef } from './review';

interface RecordDependencies {
  db: Database;
  timeZone: string;
  now: () => Date;
  audit: Audit;
  notifications: Notifications;
}

/** The records a review leaves: the constancia de negativa de ajustes and the commitment record. */
export function createRecordActivities({ db, timeZone, now, audit, notifications }: RecordDependencies) {
  return {
    /** The constancia de negativa de ajustes: no answer by the deadline (PE-P-008 task 3). */
    async recordNoAdjustment(
      input: ReviewRef & { goalCodes: string[]; alertedAt: string | null; deadline: string | null; remindersSent: number },
    ): Promise<void> {
      const body = noAdjustmentRecordText({ ...input, timeZone, recordedAt: now() });
      await db.transaction(async (tx) => {
        await tx
          .insert(t.records)
          .values({
            reviewWorkflowId: input.reviewWorkflowId,
            kind: 'noAdjustment',
            departmentCode: input.department.code,
            goalCodes: input.goalCodes,
            body,
          })
          .onConflictDoNothing();
        await audit(
          { key: `${input.reviewWorkflowId}:noAdjustment`, actor: 'sistema', action: 'noAdjustment.recorded', subject: input.reviewWorkflowId, details: { goals: input.goalCodes, deadline: input.deadline } },
          tx,
        );
      });
      // "Se deja constancia a través de correo electrónico" (PE-P-008 task 3): PDF and e-mail.
      await notifications.sendNoAdjustmentRecord(input.reviewWorkflowId, input.goalCodes, now());
    },

    /** Goals whose programming is kept: the justification and commitment are recorded. */
    async recordCommitment(
      input: ReviewRef & { approvedBy: string; goals: { goalCode: string; answer: GoalAnswer | null }[] },
    ): Promise<void> {
      const body = commitmentRecordText({ ...input, timeZone, recordedAt: now() });
      await db
        .insert(t.records)
        .values({
          reviewWorkflowId: input.reviewWorkflowId,
          kind: 'commitment',
          departmentCode: input.department.code,
          goalCodes: input.goals.map((g) => g.goalCode),
          body,
        })
        .onConflictDoNothing();
    },
  };
}
