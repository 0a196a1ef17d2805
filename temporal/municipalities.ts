import { AsyncLocalStorage } from 'node:async_hooks';
import { Client, type ConnectionLike, type WorkflowClientInterceptor } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { municipalityHeader } from '../workflows/municipalityInterceptors';

/**
 * Many municipalities on one worker: a departmental government or DNP following many municipalities
 * runs their cycles in one namespace on one task queue, so memory and pollers do not grow with every
 * municipality. The cycle is started with the municipality's header (its client below), the
 * workflows pass it on (workflows/municipalityInterceptors.ts), and each activity runs with the
 * dependencies (database, mailer, links) of that municipality.
 */

/** A client whose cycles run for `municipalityCode` (use its code in the workflow ID too). */
export function municipalityClient(options: { connection: ConnectionLike; namespace: string; municipalityCode: string }): Client {
  const header = defaultPayloadConverter.toPayload(options.municipalityCode);
  const withHeader: WorkflowClientInterceptor = {
    start: (input, next) => next({ ...input, headers: { ...input.headers, [municipalityHeader]: header } }),
    signalWithStart: (input, next) => next({ ...input, headers: { ...input.headers, [municipalityHeader]: header } }),
  };
  return new Client({ connection: options.connection, namespace: options.namespace, interceptors: { workflow: [withHeader] } });
}

const currentMunicipality = new AsyncLocalStorage<string>();

/** Runs `work` (an activity) as municipality `code`'s. */
export const asMunicipality = <T>(code: string, work: () => T): T => currentMunicipality.run(code, work);

/** Installed on every worker, for regular and local activities; without the header (one municipality's deployment) it does nothing. */
export const municipalityActivityInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    execute(input, next) {
      const header = input.headers[municipalityHeader];
      if (!header) return next(input);
      return asMunicipality(defaultPayloadConverter.fromPayload<string>(header), () => next(input));
    },
  },
});

export const UNKNOWN_MUNICIPALITY = 'UnknownMunicipality';

type ActivityFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * One set of activities that dispatches each call to the activities of the municipality named in
 * its header. A municipality this worker does not (yet) serve fails the attempt with a retryable
 * failure, so a worker that gets the municipality later, or another worker, completes it.
 */
export function activitiesByMunicipality<A extends ActivityFunctions>(byCode: ReadonlyMap<string, A>): A {
  const names = Object.keys(byCode.values().next().value ?? {});
  const dispatch = (name: string) =>
    async function (...args: never[]) {
      const code = currentMunicipality.getStore();
      const activities = code === undefined ? undefined : byCode.get(code);
      if (!activities) {
        throw ApplicationFailure.retryable(
          code === undefined ? 'La actividad no indica su municipio' : `Este worker no atiende el municipio ${code}`,
          UNKNOWN_MUNICIPALITY,
        );
      }
      return (activities[name] as (...a: never[]) => Promise<unknown>)(...args);
    };
  return Object.fromEntries(names.map((name) => [name, dispatch(name)])) as A;
}
