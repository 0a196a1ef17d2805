import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { quietTemporalRuntime } from '../temporal/worker';
import { sharedBundle } from './support/harness';

quietTemporalRuntime();
import { historiesDir } from './support/histories';

// Histories recorded by earlier versions of the workflows stay in subfolders: they guard the patches.
const recorded = (fs.readdirSync(historiesDir, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, history: JSON.parse(fs.readFileSync(path.join(historiesDir, file), 'utf8')) as RecordedHistory }));

interface RecordedHistory {
  events: { startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId?: string } }[];
}

/**
 * The ID each history ran under: a cycle names its reviews `<its own ID>-<department>`, so its first
 * child tells it (the file name drops the test's year); a review's own ID reaches only activities.
 */
const replayed = recorded.map(({ file, history }) => {
  const child = history.events.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)?.startChildWorkflowExecutionInitiatedEventAttributes;
  return { file, history, workflowId: child?.workflowId?.replace(/-[^-]+$/, '') ?? file };
});

/**
 * Determinism guard: the histories of representative runs (re-recorded with
 * `npm run record:histories`) must replay with the current workflow code.
 */
describe('replay of recorded histories', () => {
  it('covers the representative paths, before and after the notifications, local-activities, review-machine and deadline-from-delivery patches', () => {
    const names = recorded.map((r) => r.file);
    const paths = ['end-to-end.cycle.json', 'end-to-end.cycle-SSAL.json', 'end-to-end.cycle-SEDU.json', 'end-to-end.cycle-SINF.json', 'deadline-extension.cycle-SINF.json', 'worker-restart.cycle.json'];
    const notifying = [...paths, 'notifications.cycle-SSAL.json', 'notifications.cycle-SINF.json', 'cancellation.cycle-SINF.json'];
    expect(names).toEqual(
      expect.arrayContaining([
        ...notifying,
        // A third-quarter cycle reading the recorded verdicts (the frozenVerdicts patch).
        'frozen-verdicts.cycle.json',
        ...paths.map((p) => `before-notifications/${p}`),
        ...notifying.map((p) => `before-local-activities/${p}`),
        // The legacy departmentReview type (workflows/legacy/), started by cycles before the patch.
        ...notifying.map((p) => `before-review-machine/${p}`),
        // Reviews whose deadline was fixed before the alert e-mail (before the deadline counted from delivery).
        ...notifying.map((p) => `before-deadline-from-delivery/${p}`),
        // The alert refused once, stalled once and delivered at once (test/alertDelivery.test.ts).
        'alert-delivery.cycle-SSAL.json',
        'alert-delivery.cycle-SINF.json',
        'alert-delivery.cycle-SEDU.json',
      ]),
    );
  });

  it('has the current histories run the review machine (departmentReviewV2) and the older ones the legacy type', () => {
    const reviewType = (file: string) => {
      const started = recorded.find((r) => r.file === file)?.history.events[0] as { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } };
      return started?.workflowExecutionStartedEventAttributes?.workflowType?.name;
    };
    expect(reviewType('notifications.cycle-SSAL.json')).toBe('departmentReviewV2');
    expect(reviewType('before-review-machine/notifications.cycle-SSAL.json')).toBe('departmentReview');
  });

  it('has the current histories deliver the alert before the window opens, and the older ones not', () => {
    const delivers = (file: string) => JSON.stringify(recorded.find((r) => r.file === file)?.history).includes('"deliverAlertEmail"');
    expect(delivers('notifications.cycle-SSAL.json')).toBe(true);
    expect(delivers('alert-delivery.cycle-SINF.json')).toBe(true);
    expect(delivers('before-deadline-from-delivery/notifications.cycle-SSAL.json')).toBe(false);
  });

  it('replays every recorded history with the current workflow code', async () => {
    const failures: string[] = [];
    let index = 0;
    // Results come in the order of the histories (two files may share a workflow ID).
    for await (const result of Worker.runReplayHistories({ workflowBundle: await sharedBundle() }, replayed)) {
      if (result.error) failures.push(`${replayed[index]?.file} (${result.workflowId}): ${result.error.message}`);
      index += 1;
    }
    expect(failures).toEqual([]);
  });

  it('fails when the workflow code changes the order of its commands (the guard can fail)', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: require.resolve('./support/nondeterministicWorkflows'),
      logger: new DefaultLogger('WARN'),
    });
    const sinf = recorded.find((r) => r.file === 'before-notifications/end-to-end.cycle-SINF.json');
    await expect(Worker.runReplayHistory({ workflowBundle: changed }, sinf?.history)).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
  });
});
