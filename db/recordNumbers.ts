import { sql } from 'drizzle-orm';
import { formatRecordNumber, type RecordSeries } from '../domain/records';
import type { Database } from './client';
import { recordNumbers } from './schema';

/**
 * The next consecutive number of a series for a year. Call it inside the transaction that stores the
 * record: the counter row stays locked until that transaction ends, so concurrent issues queue, and
 * a rolled-back issue gives its number back (no gaps).
 */
export async function nextRecordNumber(tx: Pick<Database, 'insert'>, series: RecordSeries, year: number): Promise<string> {
  const [row] = await tx
    .insert(recordNumbers)
    .values({ series, year, last: 1 })
    .onConflictDoUpdate({ target: [recordNumbers.series, recordNumbers.year], set: { last: sql`${recordNumbers.last} + 1` } })
    .returning({ last: recordNumbers.last });
  if (!row) throw new Error(`nextRecordNumber(${series}, ${year}): no number was issued`);
  return formatRecordNumber(series, year, row.last);
}
