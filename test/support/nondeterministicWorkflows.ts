import { proxyActivities } from '@temporalio/workflow';
import type { ReviewActivities } from '../../activities';
import type { DepartmentReviewInput } from '../../workflows/types';

const activities = proxyActivities<ReviewActivities>({ startToCloseTimeout: '1 minute' });

/** A departmentReview whose first command differs from the real one: replay must reject it. */
export async function departmentReview(input: DepartmentReviewInput): Promise<string> {
  await activities.computeDeadline({ window: input.responseWindow, from: '2026-01-01T00:00:00.000Z' });
  return 'noAdjustment';
}
