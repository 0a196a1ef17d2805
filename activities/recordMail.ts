import { and, asc, desc, eq } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import * as t from '../db/schema';
import { latestProgramming } from '../db/queries';
import { consolidationGoalsWithCommitments } from '../db/verdicts';
import type { Database } from '../db/client';
import { goalStatusLabels } from '../domain/goals';
import { storeJustificationAndCommitment, storeNoAdjustmentRecord, readDocument } from '../documents';
import { noAdjustmentRecord, reprogrammingApproved } from '../mail';
import { deliver, mailContext, recipientsFor, type NotificationDependencies } from './mailDelivery';
import { createReviewReader, type AlertedGoal } from './reviewFacts';
import { responseAccepted } from '../db/responseVerdicts';
import { actionPlanVersionOfReview } from '../reports/actionPlan';

/** The records a review ends with, as PDF documents stored once and e-mailed to the department. */
export function createRecordMail(deps: NotificationDependencies) {
  const { db, mailer, timeZone, coordinatorEmail, officeName = 'Oficina de Planeación', pdfSigner } = deps;
  const { linkFor, reviewFacts, documentFrame, latestSnapshots, latestContext, remindersSentAt } = createReviewReader(deps);

  /** The Plan de Acción version the review's reprogramming created (none when it only kept goals). */
  async function actionPlanLink(reviewWorkflowId: string, fiscalYear: number) {
    const version = await actionPlanVersionOfReview(db, fiscalYear, reviewWorkflowId);
    if (version === null || !deps.publicUrl) return null;
    // The page (it asks for a session first, then lists every version with its download), not the API.
    return { fiscalYear, version, url: `${deps.publicUrl}/plan-de-accion?vigencia=${fiscalYear}` };
  }

  return {
    /**
     * PE-P-008 task 3, no answer: the constancia de negativa de ajustes as a PDF (stored once),
     * e-mailed to the department with the coordinator in copy.
     */
    async sendNoAdjustmentRecord(reviewWorkflowId: string, goalCodes: string[], recordedAt: Date) {
      const facts = await reviewFacts(reviewWorkflowId);
      const context = await latestContext(reviewWorkflowId);
      const mail = await mailContext(db, timeZone, officeName);
      const reminders = await remindersSentAt(reviewWorkflowId);
      const goals = (facts.alert.goals as AlertedGoal[]).filter((g) => goalCodes.includes(g.goalCode));
      const document = await storeNoAdjustmentRecord(
        db,
        {
          ...documentFrame(facts, mail.municipality, reminders, context?.extensions ?? []),
          recordedAt: recordedAt.toISOString(),
          goals,
        },
        pdfSigner,
      );
      const pdf = await readDocument(db, document.id);
      if (!pdf) throw new Error(`Documento ${document.id} no encontrado`);
      const content = noAdjustmentRecord({
        ...mail,
        recordNumber: document.recordNumber,
        department: { code: facts.department.code, name: facts.department.name, liaisonName: facts.department.liaisonName },
        fiscalYear: facts.review.fiscalYear,
        quarter: facts.review.quarter,
        reference: reviewWorkflowId,
        goals: goals.map(({ goalCode, name, status }) => ({ goalCode, name, status })),
        alertedAt: new Date(facts.alert.sentAt).toISOString(),
        remindersSentAt: reminders,
        deadline: context?.deadline ?? new Date(facts.alert.deadline).toISOString(),
        recordedAt: recordedAt.toISOString(),
        pdfFileName: pdf.fileName,
      });
      await deliver(mailer, {
        idempotencyKey: `${reviewWorkflowId}:noAdjustment`,
        ...recipientsFor(facts.department.liaisonEmail, coordinatorEmail, facts.alertedDepartment.headEmail),
        ...content,
        attachments: [{ fileName: pdf.fileName, contentType: pdf.contentType, content: pdf.content, documentId: document.id }],
      });
    },

    /**
     * PE-P-008 task 5, agreement reached: the document of justification and commitment (stored
     * once) e-mailed to the department with the coordinator in copy.
     */
    async sendAgreementRecord(reviewWorkflowId: string, recordedAt: Date) {
      const facts = await reviewFacts(reviewWorkflowId);
      const snapshots = await latestSnapshots(reviewWorkflowId);
      const context = snapshots[0]?.context;
      const [approval] = await db
        .select()
        .from(t.decisions)
        .where(and(eq(t.decisions.reviewWorkflowId, reviewWorkflowId), eq(t.decisions.decision, 'approve')))
        .orderBy(desc(t.decisions.round))
        .limit(1);
      if (!approval || !context) throw ApplicationFailure.nonRetryable(`La revisión ${reviewWorkflowId} no tiene aprobación registrada`, 'MissingDecision');
      const changes = await db
        .select()
        .from(t.decisions)
        .where(and(eq(t.decisions.reviewWorkflowId, reviewWorkflowId), eq(t.decisions.decision, 'requestChanges')))
        .orderBy(asc(t.decisions.round));
      const reprogrammed = new Map(
        (await db.select().from(t.reprogrammings).where(eq(t.reprogrammings.reviewWorkflowId, reviewWorkflowId))).map((r) => [r.goalCode, r]),
      );
      const [response] = await db
        .select()
        .from(t.responses)
        .where(and(eq(t.responses.reviewWorkflowId, reviewWorkflowId), responseAccepted))
        .orderBy(desc(t.responses.id))
        .limit(1);
      const alerted = new Map((facts.alert.goals as AlertedGoal[]).map((g) => [g.goalCode, g]));
      // A kept goal keeps the programming in force: the record states it rather than "sin programación".
      const inForce = await latestProgramming(db, facts.review.fiscalYear);
      const goals = snapshots.flatMap((s) => {
        const answer = s.context.answer;
        const goal = alerted.get(s.context.goalCode);
        if (!answer || !goal) return [];
        const applied = reprogrammed.get(goal.goalCode);
        return [
          {
            ...goal,
            action: answer.action,
            justification: answer.justification,
            commitment: answer.commitment,
            before: (applied?.before as never) ?? (answer.action === 'keep' ? (inForce.get(goal.goalCode) ?? null) : null),
            after: answer.action === 'reprogram' ? ((applied?.after as never) ?? null) : null,
            altersTermTarget: applied?.altersTermTarget ?? false,
            councilAgreement: applied?.councilAgreement ?? null,
          },
        ];
      });
      const consolidation = await consolidationForRecord(db, reviewWorkflowId);
      const mail = await mailContext(db, timeZone, officeName);
      const actionPlan = await actionPlanLink(reviewWorkflowId, facts.review.fiscalYear);
      const respondent = (response?.payload as { respondent?: { name: string; email?: string } } | undefined)?.respondent;
      const document = await storeJustificationAndCommitment(db, {
        ...documentFrame(facts, mail.municipality, await remindersSentAt(reviewWorkflowId), context.extensions),
        recordedAt: recordedAt.toISOString(),
        goals,
        response: respondent && response ? { respondent, submittedAt: new Date(response.receivedAt).toISOString() } : null,
        changeRequests: context.changeRequests.map((c, i) => ({
          comment: c.comment,
          deadline: c.deadline,
          requestedAt: changes[i] ? new Date(changes[i].createdAt).toISOString() : undefined,
          coordinator: changes[i]?.coordinator,
        })),
        approval: { approvedBy: approval.coordinator, approvedAt: new Date(approval.createdAt).toISOString(), round: approval.round, comment: approval.comment },
        ...(consolidation.length ? { consolidationCommitments: consolidation } : {}),
        actionPlan,
      }, pdfSigner);
      const pdf = await readDocument(db, document.id);
      if (!pdf) throw new Error(`Documento ${document.id} no encontrado`);
      const content = reprogrammingApproved({
        ...mail,
        recordNumber: document.recordNumber,
        department: { code: facts.department.code, name: facts.department.name, liaisonName: facts.department.liaisonName },
        fiscalYear: facts.review.fiscalYear,
        quarter: facts.review.quarter,
        reference: reviewWorkflowId,
        approvedBy: approval.coordinator,
        approvedAt: new Date(approval.createdAt).toISOString(),
        reprogrammed: goals
          .filter((g) => g.action === 'reprogram' && reprogrammed.has(g.goalCode))
          .map((g) => ({
            goalCode: g.goalCode,
            name: g.name,
            before: reprogrammed.get(g.goalCode)?.before as never,
            after: reprogrammed.get(g.goalCode)?.after as never,
            justification: g.justification,
            commitment: g.commitment,
            altersTermTarget: g.altersTermTarget,
            councilAgreement: g.councilAgreement,
          })),
        kept: goals.filter((g) => g.action === 'keep').map(({ goalCode, name, justification, commitment }) => ({ goalCode, name, justification, commitment })),
        documentFileName: pdf.fileName,
        reviewUrl: linkFor(reviewWorkflowId, facts.department.code),
        actionPlan,
      });
      await deliver(mailer, {
        idempotencyKey: `${reviewWorkflowId}:agreement`,
        ...recipientsFor(facts.department.liaisonEmail, coordinatorEmail, facts.alertedDepartment.headEmail),
        ...content,
        attachments: [{ fileName: pdf.fileName, contentType: pdf.contentType, content: pdf.content, documentId: document.id }],
      });
    },

  };
}

/** Q3: the goals lagged in the year and not in alert, with the commitment of the accepted answer (PE-P-008 task 4). */
async function consolidationForRecord(db: Database, reviewWorkflowId: string) {
  return (await consolidationGoalsWithCommitments(db, reviewWorkflowId)).map((goal) => ({
    goalCode: goal.goalCode,
    name: goal.name,
    laggedQuarters: goal.byQuarter
      .filter((q) => q.status === 'notStarted' || q.status === 'behind' || q.status === 'noReport')
      .map((q) => `T${q.quarter} ${goalStatusLabels[q.status].toLowerCase()}`)
      .join(', '),
    commitment: goal.commitment ?? 'Sin compromiso registrado',
  }));
}
