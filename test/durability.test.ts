import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { findFreePort, startDevServer } from '../temporal/devServer';
import type { DevServer } from '../temporal/devServerTypes';
import { searchAttributeTypes } from '../workflows/searchAttributes';
import { answerAll } from './support/answers';
import { TEST_NAMESPACE } from './support/constants';
import { createHarness, eventually, reviewIn, type Harness } from './support/harness';
import { saveHistories } from './support/histories';


describe('durability', () => {
  let h: Harness | undefined;
  let server: DevServer | undefined;
  let serverDir: string | undefined;
  afterEach(async () => {
    await h?.close();
    await server?.stop();
    if (serverDir) fs.rmSync(serverDir, { recursive: true, force: true });
    h = server = serverDir = undefined;
  });

  it('a review waiting with no worker running completes correctly once a new worker starts', async () => {
    h = await createHarness();
    const harness = h;
    const { workflowId } = await harness.cycles.startCycle({ fiscalYear: harness.fiscalYear, quarter: 2, window: '8s' });
    const ssalId = `${workflowId}-SSAL`;
    const sinfId = `${workflowId}-SINF`;
    const ssal = await reviewIn(harness, ssalId, 'awaitingResponse');
    const sinf = await reviewIn(harness, sinfId, 'awaitingResponse');
    await harness.cycles.submitResponse(ssalId, answerAll(ssal, ['1906003-01'], [2, 3, 10, 9]));
    await reviewIn(harness, ssalId, 'underAgreement');

    await harness.stopWorker();
    // While no worker runs, the deadlines of the other departments pass.
    await eventually(async () => Date.now() > Date.parse(sinf.deadline as string) + 500, { what: 'the deadline to pass' });
    await harness.startWorker();

    const approved = await harness.cycles.decide(ssalId, { decision: 'approve', coordinator: 'Coordinadora MMSE' });
    expect(approved.outcome).toBe('reprogrammed');
    const summary = await harness.client.workflow.getHandle(workflowId).result();
    expect(summary.outcomes).toEqual({ SSAL: 'reprogrammed', SEDU: 'noAdjustment', SINF: 'noAdjustment' });

    // Exactly one record each: the activities are idempotent whatever the restarts.
    const records = await harness.database.db.select().from(t.records);
    expect(records.filter((r) => r.kind === 'noAdjustment').map((r) => r.reviewWorkflowId).sort()).toEqual([
      `${workflowId}-SEDU`,
      sinfId,
    ]);
    const versions = await harness.database.db.select().from(t.goalProgramming).where(eq(t.goalProgramming.goalCode, '1906003-01'));
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    await saveHistories(harness.client, 'worker-restart', [workflowId, ssalId, sinfId]);
  });

  it('a running cycle continues after the Temporal server restarts on the same database file', async () => {
    serverDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-restart-'));
    const options = {
      cliPath: process.env.TEST_TEMPORAL_CLI as string,
      dbFile: path.join(serverDir, 'temporal.db'),
      namespace: TEST_NAMESPACE,
      port: await findFreePort(),
      uiPort: await findFreePort(),
      headless: true,
      searchAttributes: searchAttributeTypes,
    };
    server = await startDevServer(options);
    h = await createHarness({ address: server.address });
    const harness = h;
    const { workflowId } = await harness.cycles.startCycle({ fiscalYear: harness.fiscalYear, quarter: 2, window: '5m' });
    const reviewIds = ['SEDU', 'SINF', 'SSAL'].map((code) => `${workflowId}-${code}`);
    for (const id of reviewIds) await reviewIn(harness, id, 'awaitingResponse');

    await harness.stopWorker();
    await server.stop();
    server = await startDevServer(options);
    await harness.startWorker();

    for (const id of reviewIds) {
      const view = await eventually(() => harness.cycles.reviewStatus(id), { what: `${id} after the restart` });
      expect(view.state).toBe('awaitingResponse');
      await harness.cycles.submitResponse(id, answerAll(view));
      await reviewIn(harness, id, 'underAgreement');
      await harness.cycles.decide(id, { decision: 'approve', coordinator: 'Coordinadora MMSE' });
    }
    const summary = await harness.client.workflow.getHandle(workflowId).result();
    expect(summary.outcomes).toEqual({ SEDU: 'keptWithCommitment', SINF: 'keptWithCommitment', SSAL: 'keptWithCommitment' });
  });
});
