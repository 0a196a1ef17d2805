import { defineSearchAttributeKey } from '@temporalio/common';

/** Custom search attributes; the dev server registers them at start and the compose stack must too. */
export const FiscalYear = defineSearchAttributeKey('FiscalYear', 'INT');
export const Quarter = defineSearchAttributeKey('Quarter', 'INT');
export const DepartmentCode = defineSearchAttributeKey('DepartmentCode', 'KEYWORD');
/**
 * A cycle's phase (CyclePhase) or a review's machine state (ReviewView.state). The registered name
 * stays: renaming a search attribute would break the visibility of running workflows.
 */
export const ReviewStatus = defineSearchAttributeKey('ReviewStatus', 'KEYWORD');

/** The same attributes in the form `temporal server start-dev --search-attribute Name=Type` expects. */
export const searchAttributeTypes = {
  FiscalYear: 'Int',
  Quarter: 'Int',
  DepartmentCode: 'Keyword',
  ReviewStatus: 'Keyword',
} as const;
