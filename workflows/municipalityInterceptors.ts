import type { Payload } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * The header naming the municipality a cycle runs for. A worker serving many municipalities (one
 * namespace, one task queue) picks that municipality's database and mailer from it for every
 * activity (temporal/municipalities.ts); a municipality's own deployment never sets it.
 */
export const municipalityHeader = 'metas-pdm-municipality';

/**
 * Carries the header from the cycle's start to each department review and every activity they
 * schedule. Headers are not part of the commands' identity, so recorded histories replay alike.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let municipality: Payload | undefined;
  const withMunicipality = <T extends { headers: Record<string, Payload> }>(input: T): T =>
    municipality ? { ...input, headers: { ...input.headers, [municipalityHeader]: municipality } } : input;
  return {
    inbound: [
      {
        execute(input, next) {
          municipality = input.headers[municipalityHeader];
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withMunicipality(input)),
        scheduleLocalActivity: (input, next) => next(withMunicipality(input)),
        startChildWorkflowExecution: (input, next) => next(withMunicipality(input)),
        continueAsNew: (input, next) => next(withMunicipality(input)),
      },
    ],
  };
};
