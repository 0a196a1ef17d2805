import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { quietTemporalRuntime } from '../../temporal/worker';
import { searchAttributeTypes } from '../../workflows/searchAttributes';
import { createHarness, eventually, type Harness, type HarnessOptions, type TemporalTarget } from './harness';

/** temporal.api.enums.v1.IndexedValueType (as temporal/devServer.ts: @temporalio/proto is no direct dependency). */
const indexedTypes = { Keyword: 2, Int: 3 } as const;

export interface TimeSkippingServer {
  /** For createHarness({ temporal }): the harness's client and workers run on this server. */
  target: TemporalTarget;
  /**
   * Moves the server's clock forward by `duration` (e.g. '2h'), firing every timer due on the way
   * and waiting for the activities they start: a deadline or a reminder without waiting for it.
   */
  skip(duration: string | number): Promise<void>;
  /** The server's clock (ms), which only moves by real time and by skip(). */
  now(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A Temporal test server of its own (support/globalSetup.ts provisions it) whose clock the test
 * moves: deadlines and reminders fire when the test skips time, never while it is still acting,
 * so long windows ('2h') make the paths deterministic on a busy machine. Time only skips in
 * skip() and while a TimeSkippingClient awaits a workflow's result.
 */
export async function startTimeSkippingServer(): Promise<TimeSkippingServer> {
  quietTemporalRuntime();
  const path = process.env.TEST_TEMPORAL_TEST_SERVER;
  if (!path) throw new Error('TEST_TEMPORAL_TEST_SERVER is not set: the jest global setup provisions the test server');
  const env = await createTimeSkippingEnvironment(path);
  const namespace = env.namespace ?? 'default';
  await env.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(Object.entries(searchAttributeTypes).map(([name, type]) => [name, indexedTypes[type]])),
  });
  return {
    target: {
      client: env.client,
      namespace,
      // Workers share the environment's connection; teardown closes it.
      connectWorker: async () => ({ connection: env.nativeConnection, release: async () => undefined }),
      release: async () => undefined,
    },
    skip: (duration) => env.sleep(duration),
    now: () => env.currentTimeMs(),
    close: () => env.teardown(),
  };
}

/**
 * The SDK gives the JVM 5 s to open its port; on a machine busy with other suites that is not
 * always enough, so a start that timed out is tried again (each attempt on a fresh port).
 */
async function createTimeSkippingEnvironment(path: string, attempts = 4): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    } catch (error) {
      if (attempt >= attempts || !/did not start within/.test(String(error))) throw error;
    }
  }
}

/**
 * The activities' clock on a time-skipping server: the server's time when the activity was
 * scheduled (the workflow's clock), not the machine's, which falls behind at every skip.
 */
export const serverClock = (): Date => {
  try {
    return new Date(Context.current().info.currentAttemptScheduledTimestampMs);
  } catch {
    return new Date();
  }
};

/** A harness whose workers run on `server`, with the activities on the server's clock. */
export function createTimeSkippingHarness(server: TimeSkippingServer, options: HarnessOptions = {}): Promise<Harness> {
  return createHarness({
    ...options,
    temporal: server.target,
    activities: (db) => ({ now: serverClock, ...options.activities?.(db) }),
  });
}

/**
 * Waits for a workflow to close without skipping time: awaiting result() on the time-skipping
 * client would also move every other workflow's clock to its next timer (a reminder, a deadline).
 */
export const closedWithoutSkipping = (h: Harness, workflowId: string) =>
  eventually(async () => (await h.client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING', { what: `${workflowId} closed` });
