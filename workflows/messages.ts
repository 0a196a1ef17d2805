import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CoordinatorAction, CoordinatorNote, DeadlineExtension, Decision, ResponseSubmission, ReviewCancellation } from '../domain/review';
import type { CycleView, ReviewView } from './types';

/** Message definitions shared by the workflows and every client (server, CLI, tests). */
export const submitResponseUpdate = defineUpdate<ReviewView, [ResponseSubmission]>('submitResponse');
export const decideUpdate = defineUpdate<ReviewView, [Decision]>('decide');
export const extendDeadlineUpdate = defineUpdate<ReviewView, [DeadlineExtension]>('extendDeadline');
export const resendAlertUpdate = defineUpdate<ReviewView, [CoordinatorAction]>('resendAlert');
export const addNoteUpdate = defineUpdate<ReviewView, [CoordinatorNote]>('addNote');
export const cancelReviewUpdate = defineUpdate<ReviewView, [ReviewCancellation]>('cancelReview');

export const reviewStateQuery = defineQuery<ReviewView>('reviewState');
export const cycleStateQuery = defineQuery<CycleView>('cycleState');

/**
 * `revision-<year>-T<quarter>`: one cycle per quarter, so starting it twice finds the running one. A
 * worker that serves many municipalities in one namespace prefixes the municipality's code
 * (`<municipality>-revision-<year>-T<quarter>`); a municipality's own deployment has no prefix.
 */
export const cycleWorkflowId = (fiscalYear: number, quarter: number, municipalityCode?: string) =>
  `${municipalityCode ? `${municipalityCode}-` : ''}revision-${fiscalYear}-T${quarter}`;
/** A department's review is named after its cycle: `revision-<year>-T<quarter>-<department>`. */
export const departmentReviewWorkflowId = (cycleId: string, departmentCode: string) => `${cycleId}-${departmentCode}`;
