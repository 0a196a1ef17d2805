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

export const cycleWorkflowId = (fiscalYear: number, quarter: number) => `revision-${fiscalYear}-T${quarter}`;
export const departmentReviewWorkflowId = (fiscalYear: number, quarter: number, departmentCode: string) =>
  `${cycleWorkflowId(fiscalYear, quarter)}-${departmentCode}`;
