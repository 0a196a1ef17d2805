import { bundleWorkflowCode, DefaultLogger, type NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ReviewActivities } from '../activities';
import { municipalityActivityInterceptor } from './municipalities';

const workflowsPath = require.resolve('../workflows');
const workflowInterceptorModules = [require.resolve('../workflows/municipalityInterceptors')];

let runtimeInstalled = false;
/**
 * Keeps the SDK's own logging to warnings so the terminal shows our messages, and leaves signal
 * handling to us: `npm start` stops the worker, the web server and Temporal in its own order.
 */
export function quietTemporalRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
}

/** Bundles the workflow code once (about a second); tests share one bundle per suite. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: new DefaultLogger('WARN') });
}

export interface ReviewWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** One municipality's activities, or `activitiesByMunicipality` for a worker serving many. */
  activities: ReviewActivities;
  workflowBundle?: WorkflowBundleWithSourceMap;
  /**
   * Activities (regular and local, each) this worker runs at once; the SDK's default is 100. They
   * all share the process's main thread (`npm run bench -- --max-concurrent-activities` measures it).
   */
  maxConcurrentActivities?: number;
}

export async function createReviewWorker(options: ReviewWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    interceptors: { activity: [municipalityActivityInterceptor] },
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities,
    maxConcurrentLocalActivityExecutions: options.maxConcurrentActivities,
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
  });
}
