/**
 * Workflow time. Inside the Temporal sandbox `Date` is the deterministic clock of the current
 * workflow task (the same on replay), so this is safe here and only here; activities get their
 * own time.
 */
export const workflowNow = (): Date => new Date();
