// The workflow bundle's entry point: every workflow type the worker runs.
export { quarterlyReview } from './quarterlyReview';
export { departmentReview } from './departmentReview';
