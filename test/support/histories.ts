import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const historiesDir = path.join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1 (`npm run record:histories`), saves the histories of a scenario's
 * workflows under test/histories/ for the replay test; otherwise does nothing.
 */
export async function saveHistories(client: Client, scenario: string, workflowIds: string[]): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  fs.mkdirSync(historiesDir, { recursive: true });
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    // The fiscal year in the ID is the test's unique one; the file name keeps the role only.
    const role = workflowId.replace(/^revision-\d{4}-T\d/, 'cycle');
    fs.writeFileSync(path.join(historiesDir, `${scenario}.${role}.json`), `${historyToJSON(history)}\n`);
  }
}
