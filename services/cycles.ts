import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import type { Database } from '../db/client';
import { loadQuarterData, programmedYears } from '../db/queries';
import * as t from '../db/schema';
import { fiscalYearSchema, quarterSchema, type GoalStatus, type Measurement, type Quarter, type Thresholds } from '../domain/goals';
import { classifyGoal, countByStatus, isFlaggedStatus } from '../domain/quarterData';
import { quarterlyReview } from '../workflows/quarterlyReview';
import {
  type CoordinatorAction,
  type CoordinatorNote,
  type Decision,
  type DeadlineExtension,
  describeIssues,
  type ResponseSubmission,
  type ReviewCancellation,
} from '../domain/review';
import { parseReminders, parseResponseWindow } from '../domain/responseWindow';
import {
  addNoteUpdate,
  cancelReviewUpdate,
  resendAlertUpdate,
  cycleStateQuery,
  cycleWorkflowId,
  decideUpdate,
  extendDeadlineUpdate,
  reviewStateQuery,
  submitResponseUpdate,
} from '../workflows/messages';
import { FiscalYear, Quarter as QuarterAttribute, ReviewStatus } from '../workflows/searchAttributes';
import type { CycleView, ReviewView } from '../domain/reviewViews';

/** The review as pages and the API show it (routes name it from here, not from the engine's types). */
export type { ReviewView };
import { AppError, fromTemporalError } from './errors';
import { describeUnsafeInput, findUnsafeInput, sanitizeForMessage, sizeWords } from '../domain/inputText';
import { readCycleStatus } from './reviewReadModel';
import { consolidationGoals } from '../db/verdicts';
import { readConsolidationCommitments } from '../domain/consolidation';
import { readByDataVersion } from './dataVersion';
import { planThresholds } from './plan';
import { createWorkflowInspection } from './workflowInspection';
import { isOwnWorkflowId } from '../domain/workflowIds';
import { recordVerdict } from '../db/responseVerdicts';
import { resolveCouncilAgreements } from './councilAgreements';

export type { ReviewSearch, WorkflowSummary } from './workflowInspection';

/** The cycle's workflow type name, from the workflow function itself. */
const cycleType = quarterlyReview.name;

export const startCycleSchema = z.object({
  fiscalYear: fiscalYearSchema,
  quarter: quarterSchema,
  window: z
    .string()
    .optional()
    .refine((w) => w === undefined || parseResponseWindow(w).ok, 'plazo inválido: use por ejemplo 10d (días hábiles), 48h, 2m o 30s'),
  startedBy: z.string().trim().min(1).max(200).optional(),
  /** Reminders before the deadline, e.g. "5,1" business days or "10s" in drills; default from configuration. */
  reminders: z
    .string()
    .optional()
    .refine((r) => r === undefined || parseReminders(r).ok, 'recordatorios inválidos: use por ejemplo 5,1 (días hábiles antes del plazo) o 10s'),
});
export type StartCycleRequest = z.input<typeof startCycleSchema>;

/** What starting a cycle would flag, per department, before anything starts. */
export interface CyclePreview {
  fiscalYear: number;
  quarter: Quarter;
  workflowId: string;
  /** The quarter's cycle already exists: starting leads to it. */
  existing: boolean;
  thresholds: Thresholds;
  evaluatedGoals: number;
  totals: Partial<Record<GoalStatus, number>>;
  departments: {
    code: string;
    name: string;
    liaisonEmail: string | null;
    goals: { goalCode: string; name: string; status: GoalStatus; measurement: Measurement | null }[];
  }[];
}

export interface CycleServiceDependencies {
  client: Client;
  db: Database;
  taskQueue: string;
  defaultWindow: string;
  /** Reminder offsets when a cycle names none (REMINDER_BUSINESS_DAYS). */
  defaultReminders?: string;
  thresholds: Thresholds;
  /**
   * Set when one namespace serves many municipalities: the code prefixes the cycle's workflow ID and
   * `client` must carry it as a header (temporal/municipalities.ts `municipalityClient`).
   */
  municipalityCode?: string;
}

export interface CycleStatus {
  workflowId: string;
  execution: string;
  cycle: CycleView;
  reviews: ReviewView[];
}

/**
 * What operators, liaisons and coordinators do to quarterly reviews, shared by the HTTP API and
 * the command line. Every change goes through the workflows; the database only keeps the records.
 */
export function createCycleService({ client, db, taskQueue, defaultWindow, defaultReminders = '5,1', thresholds, municipalityCode }: CycleServiceDependencies) {
  /**
   * Only this installation's workflows: in a namespace shared with other municipalities, their IDs
   * (another prefix, or none) are not found here, whoever asks.
   */
  const own = (workflowId: string) => {
    if (!isOwnWorkflowId(workflowId, municipalityCode)) throw new AppError('not_found', `No existe el flujo ${workflowId}`);
    return workflowId;
  };
  const ownHandle = (workflowId: string) => client.workflow.getHandle(own(workflowId));

  async function describeOrNull(workflowId: string) {
    try {
      return await ownHandle(workflowId).describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  // Concurrent readers of the same cycle share one read of its records (see services/sharedRead),
  // reused while the database's data version is unchanged (services/dataVersion).
  const readRecordedCycle = readByDataVersion(db, (workflowId) => readCycleStatus(db, workflowId));

  async function reviewView(workflowId: string): Promise<ReviewView> {
    try {
      return await ownHandle(workflowId).query(reviewStateQuery);
    } catch (error) {
      throw fromTemporalError(error, `la revisión ${workflowId}`);
    }
  }

  /**
   * An update sent to a finished review fails as "not found"; the liaison or coordinator needs to
   * know why: the deadline passed (constancia recorded) or the review already ended.
   */
  async function updateFailure(error: unknown, reviewWorkflowId: string, action: string): Promise<unknown> {
    if (error instanceof WorkflowNotFoundError) {
      const description = await describeOrNull(reviewWorkflowId);
      if (description && description.status.name !== 'RUNNING') {
        const view = await reviewView(reviewWorkflowId);
        if (view.state === 'noAdjustment') {
          return new AppError(
            'deadline_passed',
            `El plazo para responder venció (${view.deadline ?? 'sin plazo'}); no es posible ${action}. Se registró la constancia de negativa de ajustes.`,
          );
        }
        return new AppError('conflict', `No es posible ${action}: la revisión ya terminó (estado: ${view.state})`);
      }
    }
    return fromTemporalError(error, `la revisión ${reviewWorkflowId}`);
  }

  return {
    /** Starts the quarter's review, or returns the one that exists: never a second workflow for a quarter. */
    async startCycle(request: StartCycleRequest): Promise<{ workflowId: string; created: boolean }> {
      const parsed = startCycleSchema.safeParse(request);
      if (!parsed.success) throw new AppError('invalid_input', 'Datos inválidos para iniciar el ciclo', describeIssues(parsed.error));
      const { fiscalYear, window = defaultWindow, startedBy = 'operador', reminders = defaultReminders } = parsed.data;
      const reminderWindows = parseReminders(reminders);
      if (!reminderWindows.ok) throw new AppError('invalid_input', reminderWindows.message);
      const quarter = parsed.data.quarter as Quarter;
      const years = await programmedYears(db);
      if (!years.includes(fiscalYear)) {
        throw new AppError(
          'year_outside_plan',
          `La vigencia ${fiscalYear} no hace parte del plan: hay programación para ${years.length ? years.join(', ') : 'ninguna vigencia (importe el Plan Indicativo)'}`,
        );
      }
      const workflowId = cycleWorkflowId(fiscalYear, quarter, municipalityCode);
      if (await describeOrNull(workflowId)) return { workflowId, created: false };
      const responseWindow = parseResponseWindow(window);
      if (!responseWindow.ok) throw new AppError('invalid_input', responseWindow.message);
      try {
        await client.workflow.start(quarterlyReview, {
          workflowId,
          taskQueue,
          args: [
            {
              fiscalYear,
              quarter,
              responseWindow: responseWindow.window,
              reminders: reminderWindows.reminders,
              thresholds: await planThresholds(db, thresholds),
              startedBy,
            },
          ],
          // A running cycle is reused and a finished one is never started again.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: FiscalYear, value: fiscalYear },
            { key: QuarterAttribute, value: quarter },
            { key: ReviewStatus, value: 'loading' },
          ],
        });
        return { workflowId, created: true };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, created: false };
        throw error;
      }
    },

    /**
     * Each department's and each goal's current machine state, as the activities recorded them
     * (services/reviewReadModel: a few queries for the whole cycle, no call to Temporal). Only a
     * cycle too new to be recorded yet is asked to its workflow.
     */
    /**
     * The cycle's status as recorded, shared with concurrent callers (read-only: never change it),
     * or null when nothing is recorded yet (then cycleStatus asks Temporal). A caller gets the data
     * as of its arrival, and the same object means the same data version.
     */
    async recordedCycleStatus(workflowId: string): Promise<Readonly<CycleStatus> | null> {
      return (await readRecordedCycle(workflowId)) ?? null;
    },

    async cycleStatus(workflowId: string): Promise<CycleStatus> {
      // A copy: the read is shared with concurrent callers, who may filter or change their own.
      const recorded = await readRecordedCycle(workflowId);
      if (recorded) return structuredClone(recorded);
      const description = await describeOrNull(workflowId);
      if (!description || description.type !== cycleType) throw new AppError('not_found', `No existe el ciclo ${workflowId}`);
      const cycle = await ownHandle(workflowId).query(cycleStateQuery);
      const reviews = await Promise.all(
        cycle.departments.map(async (d) => ((await describeOrNull(d.reviewWorkflowId)) ? reviewView(d.reviewWorkflowId) : null)),
      );
      return {
        workflowId,
        execution: description.status.name,
        cycle,
        reviews: reviews.filter((r): r is ReviewView => r !== null),
      };
    },

    reviewStatus: reviewView,

    /** The same classification the quarterly workflow will run, on the data as it is now. */
    async previewCycle(request: { fiscalYear: unknown; quarter: unknown }): Promise<CyclePreview> {
      const parsed = startCycleSchema.pick({ fiscalYear: true, quarter: true }).safeParse(request);
      if (!parsed.success) throw new AppError('invalid_input', 'Datos inválidos para la vista previa', describeIssues(parsed.error));
      const { fiscalYear } = parsed.data;
      const quarter = parsed.data.quarter as Quarter;
      const [data, planned] = await Promise.all([loadQuarterData(db, fiscalYear), planThresholds(db, thresholds)]);
      const classified = data.goals.map((goal) => ({ goal, ...classifyGoal(goal, quarter, planned) }));
      const flagged = classified.filter((g) => isFlaggedStatus(g.status));
      const workflowId = cycleWorkflowId(fiscalYear, quarter, municipalityCode);
      return {
        fiscalYear,
        quarter,
        workflowId,
        existing: (await describeOrNull(workflowId)) !== null,
        thresholds: planned,
        evaluatedGoals: classified.length,
        totals: countByStatus(classified.map((g) => g.status)),
        departments: data.departments
          .map((d) => ({
            code: d.code,
            name: d.name,
            liaisonEmail: d.liaisonEmail,
            goals: flagged
              .filter((g) => g.goal.departmentCode === d.code)
              .map((g) => ({
                goalCode: g.goal.goalCode,
                name: g.goal.name,
                status: g.status,
                measurement: g.measurement,
              })),
          }))
          .filter((d) => d.goals.length > 0),
      };
    },

    ...createWorkflowInspection(client, municipalityCode),

    namespace: client.options.namespace,

    /**
     * The submission is stored as it arrived (`origin.raw`: the request's bytes) before the workflow
     * sees it, so nothing a liaison sends is lost, and its verdict is recorded before the answer. Text
     * no record can hold (a NUL character, broken Unicode) or an oversized body is refused here, by
     * field, and still stored.
     */
    async submitResponse(
      reviewWorkflowId: string,
      submission: ResponseSubmission | unknown,
      origin: { source?: 'form' | 'api'; raw?: Buffer } = {},
    ): Promise<ReviewView> {
      own(reviewWorkflowId);
      const raw = origin.raw ?? Buffer.from(JSON.stringify(submission ?? null) ?? 'null');
      const unsafe = findUnsafeInput(submission);
      const tooLarge = raw.length > MAX_STORED_SUBMISSION_BYTES;
      const [stored] = await db
        .insert(t.responses)
        .values({
          reviewWorkflowId,
          payload: unsafe || tooLarge ? null : ((submission ?? null) as object),
          source: origin.source ?? 'api',
          rawBase64: raw.subarray(0, MAX_STORED_SUBMISSION_BYTES).toString('base64'),
        })
        .returning({ id: t.responses.id });
      const storedId = stored?.id as number;
      const refuse = async (error: AppError) => {
        await recordVerdict(db, storedId, { accepted: false, reason: error.message });
        return error;
      };
      if (tooLarge) throw await refuse(new AppError('invalid_input', `La respuesta supera el tamaño máximo de ${sizeWords(MAX_STORED_SUBMISSION_BYTES)}`, [], 413));
      if (unsafe) throw await refuse(new AppError('invalid_input', describeUnsafeInput(unsafe, submissionFieldLabel(submission))));
      // A change of the meta cuatrienio names a registered Acuerdo del Concejo (checked here: the workflow reads no database).
      const withAgreements = await resolveCouncilAgreements(db, submission).catch(async (error: unknown) => {
        throw error instanceof AppError ? await refuse(error) : error;
      });
      // Q3 consolidation (PE-P-008 task 4): a commitment for every goal that lagged in the year, kept with the answer.
      const consolidation = readConsolidationCommitments(await consolidationGoals(db, reviewWorkflowId), submission);
      if (!consolidation.ok) {
        throw await refuse(new AppError('invalid_input', 'Faltan compromisos de la consolidación del tercer trimestre', consolidation.problems.map((p) => p.message)));
      }
      try {
        const view = await ownHandle(reviewWorkflowId)
          .executeUpdate(submitResponseUpdate, { args: [withAgreements as ResponseSubmission] });
        await recordVerdict(db, storedId, { accepted: true });
        return view;
      } catch (error) {
        const appError = await updateFailure(error, reviewWorkflowId, 'responder');
        await recordVerdict(db, storedId, { accepted: false, reason: appError instanceof Error ? appError.message : String(appError) });
        throw appError;
      }
    },

    async decide(reviewWorkflowId: string, decision: Decision | unknown): Promise<ReviewView> {
      try {
        return await ownHandle(reviewWorkflowId).executeUpdate(decideUpdate, { args: [decision as Decision] });
      } catch (error) {
        throw await updateFailure(error, reviewWorkflowId, 'decidir');
      }
    },

    async resendAlert(reviewWorkflowId: string, action: CoordinatorAction | unknown): Promise<ReviewView> {
      try {
        return await ownHandle(reviewWorkflowId).executeUpdate(resendAlertUpdate, { args: [action as CoordinatorAction] });
      } catch (error) {
        throw await updateFailure(error, reviewWorkflowId, 'reenviar la alerta');
      }
    },

    async addNote(reviewWorkflowId: string, note: CoordinatorNote | unknown): Promise<ReviewView> {
      try {
        return await ownHandle(reviewWorkflowId).executeUpdate(addNoteUpdate, { args: [note as CoordinatorNote] });
      } catch (error) {
        throw await updateFailure(error, reviewWorkflowId, 'agregar la nota');
      }
    },

    /** Withdraws a review that is waiting (for the answer or for agreement); the reason is recorded. */
    async cancelReview(reviewWorkflowId: string, cancellation: ReviewCancellation | unknown): Promise<ReviewView> {
      try {
        return await ownHandle(reviewWorkflowId).executeUpdate(cancelReviewUpdate, { args: [cancellation as ReviewCancellation] });
      } catch (error) {
        throw await updateFailure(error, reviewWorkflowId, 'cancelar la revisión');
      }
    },

    async extendDeadline(reviewWorkflowId: string, extension: DeadlineExtension | unknown): Promise<ReviewView> {
      try {
        return await ownHandle(reviewWorkflowId)
          .executeUpdate(extendDeadlineUpdate, { args: [extension as DeadlineExtension] });
      } catch (error) {
        throw await updateFailure(error, reviewWorkflowId, 'ampliar el plazo');
      }
    },
  };
}

export type CycleService = ReturnType<typeof createCycleService>;

/** The largest submission kept whole; above it the bytes are kept up to this size and the submission refused. */
export const MAX_STORED_SUBMISSION_BYTES = 512 * 1024;

const answerFieldLabels: Record<string, string> = {
  justification: 'justificación',
  commitment: 'compromiso',
  councilAgreement: 'acuerdo del Concejo',
  goalCode: 'código de meta',
  action: 'acción',
};

/** "answers.0.justification" → "justificación de la meta 2402002-01", as the liaison knows the field. */
function submissionFieldLabel(submission: unknown) {
  return (path: (string | number)[]): string => {
    if (path[0] === 'respondent' && path[1] === 'name' && path.length === 2) return 'nombre de quien responde';
    if (path[0] === 'answers' && typeof path[1] === 'number' && typeof path[2] === 'string' && path.length === 3) {
      const answers = (submission as { answers?: unknown } | null)?.answers;
      const goalCode = Array.isArray(answers) ? (answers[path[1]] as { goalCode?: unknown } | undefined)?.goalCode : undefined;
      const label = answerFieldLabels[path[2]] ?? sanitizeForMessage(path[2]);
      return typeof goalCode === 'string' && findUnsafeInput(goalCode) === null ? `${label} de la meta ${goalCode.slice(0, 40)}` : `${label} (respuesta ${path[1] + 1})`;
    }
    return path.map((p) => (typeof p === 'string' ? sanitizeForMessage(p) : p)).join('.');
  };
}
