import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { z } from 'zod';
import { fiscalYearSchema, quarterSchema } from '../domain/goals';
import { describeIssues } from '../domain/review';
import { departmentReviewV2 } from '../workflows/departmentReview';
import { departmentReview } from '../workflows/legacy/departmentReview';
import { quarterlyReview } from '../workflows/quarterlyReview';
import { DepartmentCode, FiscalYear, Quarter as QuarterAttribute, ReviewStatus } from '../workflows/searchAttributes';
import { AppError, fromTemporalError } from './errors';
import { isOwnWorkflowId } from '../domain/workflowIds';

/**
 * What administrators inspect in Temporal (the /admin/flujos pages, `metas workflow`): cycles and
 * reviews found by their search attributes, and a workflow's whole history.
 */

/** Workflow type names, from the workflow functions themselves (the legacy review type for reviews started before the review machine). */
const cycleType = quarterlyReview.name;
const reviewTypes = [departmentReviewV2.name, departmentReview.name].map((name) => `'${name}'`).join(', ');

export const reviewSearchSchema = z.object({
  fiscalYear: fiscalYearSchema.optional(),
  quarter: quarterSchema.optional(),
  departmentCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'dependencia: use el código de la dependencia (letras, números, punto, guion)')
    .optional(),
  /** A review's machine state or a cycle's phase: the ReviewStatus search attribute holds either. */
  state: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{1,40}$/, 'estado: use el nombre interno del estado o de la fase (por ejemplo awaitingResponse o reviewing)')
    .optional(),
  kind: z.enum(['cycle', 'review']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ReviewSearch = z.input<typeof reviewSearchSchema>;

export interface WorkflowSummary {
  workflowId: string;
  kind: 'cycle' | 'review';
  fiscalYear: number | null;
  quarter: number | null;
  departmentCode: string | null;
  /** A cycle's phase (the ReviewStatus search attribute on a cycle); null on a review. */
  phase: string | null;
  /** A review's machine state (the ReviewStatus search attribute on a review); null on a cycle. */
  state: string | null;
  execution: string;
  startTime: string;
  closeTime: string | null;
}

/** Only this installation's workflows: another municipality's, in a namespace shared with it, are not found. */
export function createWorkflowInspection(client: Client, municipalityCode?: string) {
  const own = (workflowId: string) => {
    if (!isOwnWorkflowId(workflowId, municipalityCode)) throw new AppError('not_found', `No existe el flujo ${workflowId}`);
    return workflowId;
  };
  return {
    /** Cycles and reviews found through Temporal visibility, by the search attributes they carry. */
    async searchWorkflows(search: ReviewSearch): Promise<WorkflowSummary[]> {
      const parsed = reviewSearchSchema.safeParse(search);
      if (!parsed.success) throw new AppError('invalid_input', 'Criterios de búsqueda inválidos', describeIssues(parsed.error));
      const { fiscalYear, quarter, departmentCode, state, kind, limit } = parsed.data;
      // Values are validated above (integers, or letters/digits only), so quoting them is safe.
      const clauses = [
        kind === 'cycle' ? `WorkflowType = '${cycleType}'` : kind === 'review' ? `WorkflowType IN (${reviewTypes})` : `WorkflowType IN ('${cycleType}', ${reviewTypes})`,
        fiscalYear !== undefined ? `FiscalYear = ${fiscalYear}` : null,
        quarter !== undefined ? `Quarter = ${quarter}` : null,
        departmentCode ? `DepartmentCode = '${departmentCode}'` : null,
        state ? `ReviewStatus = '${state}'` : null,
      ].filter((c): c is string => c !== null);
      const found: WorkflowSummary[] = [];
      try {
        for await (const execution of client.workflow.list({ query: clauses.join(' AND '), pageSize: limit })) {
          if (!isOwnWorkflowId(execution.workflowId, municipalityCode)) continue;
          const attributes = execution.typedSearchAttributes;
          const isCycle = execution.type === cycleType;
          const stateOrPhase = attributes.get(ReviewStatus) ?? null;
          found.push({
            workflowId: execution.workflowId,
            kind: isCycle ? 'cycle' : 'review',
            fiscalYear: attributes.get(FiscalYear) ?? null,
            quarter: attributes.get(QuarterAttribute) ?? null,
            departmentCode: attributes.get(DepartmentCode) ?? null,
            phase: isCycle ? stateOrPhase : null,
            state: isCycle ? null : stateOrPhase,
            execution: execution.status.name,
            startTime: execution.startTime.toISOString(),
            closeTime: execution.closeTime?.toISOString() ?? null,
          });
          if (found.length >= limit) break;
        }
      } catch (error) {
        throw fromTemporalError(error, 'la búsqueda de flujos');
      }
      return found.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
    },

    /** A workflow's full history as proto3 JSON (what the Temporal UI downloads and replay accepts). */
    async history(workflowId: string): Promise<{ events?: { eventId: string; eventTime: string; eventType: string }[] }> {
      try {
        return JSON.parse(historyToJSON(await client.workflow.getHandle(own(workflowId)).fetchHistory()));
      } catch (error) {
        throw fromTemporalError(error, `el flujo ${workflowId}`);
      }
    },
  };
}
