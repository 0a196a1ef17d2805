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

/** Built and read in domain/workflowIds.ts; re-exported for the workflows and their clients. */
export { cycleWorkflowId, departmentReviewWorkflowId } from '../domain/workflowIds';
