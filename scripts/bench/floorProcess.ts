/**
 * Child process of the benchmark for the FLOOR side: the floor workflows (floor/workflows.ts) on
 * one worker per namespace and task queue, as our side has, and scripted liaisons that send the one
 * update as soon as their review exists. Same namespaces, same reviews, same silent departments.
 *
 * Started by scripts/bench/run.ts with `fork`; not meant to be run by hand.
 */
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, type NativeConnection, Worker } from '@temporalio/worker';
import { connectClient, connectWorker } from '../../temporal/connection';
import { quietTemporalRuntime } from '../../temporal/worker';
import { floorAnswerUpdate, floorCycle } from './floor/workflows';
import { floorCycleId } from './municipalities';
import { mb, serveParent, sleep, startMeasuring, workerGroups, type ChildMunicipality, type ChildSetup } from './protocol';

let setup: ChildSetup;
let workers: { worker: Worker; run: Promise<void> }[] = [];
let municipalities: { spec: ChildMunicipality; client: Client }[] = [];
let workerConnection: NativeConnection | null = null;
let client: Client | null = null;
let baseMb = 0;

serveParent({
  async setup(s) {
    setup = s;
    quietTemporalRuntime();
    client = await connectClient({ ...s.temporal, TEMPORAL_NAMESPACE: s.municipalities[0]?.namespace ?? 'default' });
    workerConnection = await connectWorker({ ...s.temporal, TEMPORAL_NAMESPACE: 'unused' });
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./floor/workflows'), logger: new DefaultLogger('WARN') });
    baseMb = mb(process.memoryUsage.rss());
    workers = await Promise.all(
      workerGroups(s.municipalities).map(async ([first]) => {
        const worker = await Worker.create({
          connection: workerConnection as NativeConnection,
          namespace: (first as ChildMunicipality).namespace,
          taskQueue: (first as ChildMunicipality).taskQueue,
          workflowBundle,
        });
        return { worker, run: worker.run() };
      }),
    );
    municipalities = s.municipalities.map((spec) => ({ spec, client: new Client({ connection: (client as Client).connection, namespace: spec.namespace }) }));
  },

  async run(progress) {
    const measuring = await startMeasuring(setup.profileFile);
    const started = measuring.startedAtMs;
    const calls = { polls: 0, queries: 0, updates: 0, retries: 0, late: 0 };
    const answeredMs: number[] = [];
    let cyclesDone = 0;
    const cycles = await Promise.all(
      municipalities.map(async (w) => {
        const cycleId = floorCycleId(w.spec.code);
        const handle = await w.client.workflow.start(floorCycle, {
          workflowId: cycleId,
          taskQueue: w.spec.taskQueue,
          args: [{ departments: w.spec.expected.map((r) => r.departmentCode), windowMs: setup.windowMs }],
        });
        await Promise.all(
          w.spec.expected
            .filter((r) => !r.silent)
            .map(async (r) => {
              const review = w.client.workflow.getHandle(`${cycleId}-${r.departmentCode}`);
              for (;;) {
                try {
                  calls.updates += 1;
                  await review.executeUpdate(floorAnswerUpdate);
                  break;
                } catch (error) {
                  if (!(error instanceof WorkflowNotFoundError)) throw error;
                  // Not started yet, or already timed out (then the answer is late).
                  const closed = await review.describe().then(
                    (d) => d.status.name !== 'RUNNING',
                    () => false,
                  );
                  if (closed) {
                    calls.late += 1;
                    return;
                  }
                  calls.retries += 1;
                  await sleep(setup.pollMs);
                }
              }
              answeredMs.push(Date.now() - started);
              progress({ type: 'progress', cyclesDone, cyclesTotal: municipalities.length, answered: answeredMs.length });
            }),
        );
        const outcomes = await handle.result();
        cyclesDone += 1;
        progress({ type: 'progress', cyclesDone, cyclesTotal: municipalities.length, answered: answeredMs.length });
        return { namespace: w.spec.namespace, workflowId: cycleId, finishedMs: Date.now() - started, outcomes };
      }),
    );
    const { wallMs, peakMb, profile, lifetimeMaxMb, cpuMs } = await measuring.stop();
    return {
      startedAtMs: started,
      wallMs,
      cycles,
      answeredMs,
      clientCalls: calls,
      memory: { baseMb, afterDatabasesMb: null, readyMb: measuring.readyMb, peakMb, peakWithoutDatabasesMb: peakMb, lifetimeMaxMb },
      cpuMs,
      rows: null,
      profile,
    };
  },

  async shutdown() {
    for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await Promise.all(workers.map((w) => w.run.catch(() => undefined)));
    await workerConnection?.close();
    await client?.connection.close();
  },
});
