import { loadTable, runLoadBench } from '../scripts/benchLoad';
import { TEST_NAMESPACE } from './support/constants';

describe('load benchmark (npm run bench:load)', () => {
  test('starts its own app, signs real accounts in, and measures every kind of request with tiny numbers', async () => {
    const result = await runLoadBench({
      views: 4,
      submissions: 2,
      targetMs: 60_000,
      temporalAddress: process.env.TEST_TEMPORAL_ADDRESS as string,
      namespace: TEST_NAMESPACE,
      log: () => undefined,
    });
    expect(result.goals).toBe(306);
    expect(result.reviewsWaiting).toBeGreaterThanOrEqual(2);
    expect(result.kinds.map((k) => [k.kind, k.requests])).toEqual([
      ['tablero', 4],
      ['monitor (página)', 4],
      ['monitor (parte en vivo)', 4],
      ['ciclo (API)', 4],
      ['respuestas de enlaces', 2],
    ]);
    // Every request answered as expected: the liaisons' answers were accepted by their reviews.
    for (const kind of result.kinds) {
      expect(kind.errors).toEqual({});
      expect(kind.max).toBeGreaterThanOrEqual(kind.p95);
      expect(kind.p95).toBeGreaterThanOrEqual(kind.p50);
      expect(kind.p50).toBeGreaterThan(0);
    }
    expect(result.failed).toEqual([]);
    expect(loadTable(result)).toMatch(/respuestas de enlaces\s+\|\s+2 \|/);
  }, 400_000);
});
