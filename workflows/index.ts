// The workflow bundle's entry point: every workflow type the worker runs.
export { quarterlyReview } from './quarterlyReview';
export { departmentReviewV2 } from './departmentReview';
// Reviews started before the review machine keep their type name and their code.
export { departmentReview } from './legacy/departmentReview';
