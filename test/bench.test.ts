import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markdownReport, writeReport } from '../scripts/bench/report';
import { runBench } from '../scripts/bench/run';
import type { BenchResult } from '../scripts/bench/results';
import { benchMunicipality, expectedReviews, silentPositions } from '../scripts/bench/municipalities';
import { workflowBundleFile } from './support/runFixtures';
import { generateMunicipality } from '../scripts/demo';

describe('cycle benchmark (npm run bench)', () => {
  test('scales the demo generator without changing its default output', () => {
    expect(benchMunicipality({ index: 0, goals: null })).toEqual(generateMunicipality());
    const small = benchMunicipality({ index: 0, goals: 20 });
    expect(small.goals).toHaveLength(20);
    expect(new Set(small.progress.map((p) => p.goalCode))).toEqual(new Set(small.goals.map((g) => g.code)));
    const large = benchMunicipality({ index: 1, goals: 700 });
    expect(large.goals).toHaveLength(700);
    expect(new Set(large.goals.map((g) => g.code)).size).toBe(700);
    expect(silentPositions(15, 0.2).size).toBe(3);
    expect(expectedReviews(large, 0.2).every((r) => r.flaggedGoals > 0)).toBe(true);
  });

  // PostgreSQL too when the suite has one (CI): each municipality in a database of its own.
  const databases = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  test.each(databases)('runs a tiny cycle and its floor on the suite dev server and reports every figure (%s)', async (database) => {
    const result: BenchResult = await runBench({
      databaseUrl: database === 'postgres' ? process.env.TEST_DATABASE_URL : undefined,
      sizes: [{ name: 'tiny', municipalities: 1, goals: 20 }],
      noAnswerShare: 0.3,
      // The suite's bundle: bundling the workflows again would only cost the test seconds of CPU.
      workflowBundleFile: workflowBundleFile(),
      window: '5s',
      reminders: '2s',
      pollMs: 200,
      temporal: { temporalAddress: process.env.TEST_TEMPORAL_ADDRESS as string, TEMPORAL_TLS: false },
      log: () => undefined,
    });

    expect(result.failedSizes).toEqual([]);
    expect(result.temporal.devServer).toBe(false);
    expect(result.database).toBe(database);
    expect(result.sizes).toHaveLength(1);
    const [size] = result.sizes;
    if (!size) throw new Error('no size');
    expect(size.shapeProblems).toEqual([]);
    const reviews = size.reviewsPerCycle[0] as number;
    expect(reviews).toBeGreaterThan(1);

    for (const side of [size.ours, size.floor]) {
      // Every review finished, some answered and some on the deadline (the timeout path ran).
      expect(side.reviews.count).toBe(reviews);
      expect(side.reviews.answered + side.reviews.timedOut).toBe(reviews);
      expect(side.reviews.timedOut).toBeGreaterThan(0);
      expect(side.reviews.answered).toBeGreaterThan(0);
      expect(side.workflows).toBe(reviews + 1);
      expect(side.wallSeconds).toBeGreaterThanOrEqual(5);
      expect(side.reviewsDoneSeconds).toBeLessThanOrEqual(side.wallSeconds + 1);
      expect(side.workflowsPerSecond).toBeGreaterThan(0);
      expect(side.reviews.eventsMean).toBeGreaterThan(0);
      expect(side.reviews.bytesMax).toBeGreaterThanOrEqual(side.reviews.bytesMean);
      expect(side.memory.peakMb).toBeGreaterThan(0);
    }
    expect(size.floor.activities.total).toBe(0);
    expect(size.ours.activities.total).toBeGreaterThan(reviews * 5);
    expect(size.ours.activities.byType).toHaveProperty('recordAlert');
    expect(size.ours.rows?.inserted).toBeGreaterThan(0);
    expect(size.ours.rows?.byTable).toHaveProperty('responses');
    expect(size.floor.rows).toBeNull();
    expect(size.ratios.wallSeconds).toBeGreaterThan(0);
    expect(size.ratios.reviewEventsMean).toBeGreaterThan(1);
    expect(size.reviewPoints).toHaveLength(reviews);
    expect(result.targets.wallRatio.bySize).toHaveProperty('tiny');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-bench-report-'));
    try {
      const files = writeReport(result, dir);
      expect(JSON.parse(fs.readFileSync(files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
      expect(fs.readFileSync(path.join(dir, 'latest.md'), 'utf8')).toBe(markdownReport(result));
      expect(markdownReport(result)).toMatch(/\| tiny: 1 × 20 goals \| ours \|/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
