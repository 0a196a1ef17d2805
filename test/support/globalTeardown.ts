import fs from 'node:fs';
import { dropPostgresTemplate } from './runFixtures';

export default async function globalTeardown() {
  const holder = globalThis as { __temporalTestServer?: { stop(): Promise<void> } };
  await holder.__temporalTestServer?.stop();
  if (process.env.TEST_RUN_DIR) await dropPostgresTemplate(process.env.TEST_RUN_DIR);
  if (process.env.TEST_RUN_DIR) fs.rmSync(process.env.TEST_RUN_DIR, { recursive: true, force: true });
}
