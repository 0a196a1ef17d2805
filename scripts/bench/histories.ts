import type { Client } from '@temporalio/client';

/** What one workflow's history says about its cost. */
export interface HistoryStats {
  workflowId: string;
  events: number;
  /** Size of the history as protobuf, as the server stores it and counts it against its limits. */
  bytes: number;
  byType: Record<string, { count: number; bytes: number }>;
  activities: Record<string, { count: number; scheduleToStartMs: number; startToCloseMs: number; inputBytes: number; resultBytes: number }>;
  workflowTasks: { count: number; scheduleToCloseMs: number };
  startMs: number;
  closeMs: number;
}

type Long = { toNumber(): number } | number | string | null | undefined;
interface Timestamp {
  seconds?: Long;
  nanos?: number | null;
}
type Event = Record<string, unknown> & { eventId?: Long; eventTime?: Timestamp | null };
interface Encodable {
  encode(message: unknown): { finish(): Uint8Array };
}

const num = (v: Long): number => (v === null || v === undefined ? 0 : typeof v === 'object' ? v.toNumber() : Number(v));
const ms = (ts: Timestamp | null | undefined) => (ts ? num(ts.seconds) * 1000 + Math.round((ts.nanos ?? 0) / 1e6) : 0);

/** The event's type name, from its one set `…EventAttributes` field (e.g. `ActivityTaskScheduled`). */
function typeOf(event: Event): string {
  const key = Object.keys(event).find((k) => k.endsWith('EventAttributes') && event[k] != null);
  return key ? key[0]?.toUpperCase() + key.slice(1, -'EventAttributes'.length) : 'Unknown';
}

/**
 * The encoded size of a protobuf message: the client returns protobufjs message instances, whose
 * class can encode them (no direct dependency on @temporalio/proto). Plain objects fall back to
 * their JSON length.
 */
function encodedSize(message: unknown): number {
  if (message == null) return 0;
  const ctor = (message as { constructor?: Partial<Encodable> }).constructor;
  if (ctor && typeof ctor.encode === 'function') return ctor.encode(message).finish().length;
  return Buffer.byteLength(JSON.stringify(message));
}

/** The first payload of a `Payloads` message, parsed as JSON (null when it is not). */
function firstJson(payloads: unknown): unknown {
  const data = (payloads as { payloads?: { data?: Uint8Array | string }[] } | undefined)?.payloads?.[0]?.data;
  if (!data) return null;
  try {
    return JSON.parse(typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data).toString('utf8'));
  } catch {
    return null;
  }
}

/** A time in a local activity's marker: `{ seconds, nanos }` or an RFC 3339 string. */
function instant(value: unknown): number | null {
  if (typeof value === 'string') return Number.isNaN(Date.parse(value)) ? null : Date.parse(value);
  if (value && typeof value === 'object' && 'seconds' in value) return ms(value as Timestamp);
  return null;
}

/** Bytes of the payloads in a `Payloads` message (activity input or result). */
const payloadBytes = (payloads: unknown) => encodedSize(payloads);

export function analyzeHistory(workflowId: string, events: Event[]): HistoryStats {
  const stats: HistoryStats = {
    workflowId,
    events: events.length,
    bytes: 0,
    byType: {},
    activities: {},
    workflowTasks: { count: 0, scheduleToCloseMs: 0 },
    startMs: ms(events[0]?.eventTime),
    closeMs: ms(events.at(-1)?.eventTime),
  };
  const scheduled = new Map<number, { type: string; at: number; startedAt: number | null }>();
  const workflowTaskScheduled = new Map<number, number>();
  for (const event of events) {
    const type = typeOf(event);
    const size = encodedSize(event);
    // A repeated field: one tag byte and a varint length per event.
    stats.bytes += size + 1 + (size < 128 ? 1 : size < 16384 ? 2 : 3);
    const entry = (stats.byType[type] ??= { count: 0, bytes: 0 });
    entry.count += 1;
    entry.bytes += size;
    const id = num(event.eventId);
    const at = ms(event.eventTime);
    const attributes = event[`${type[0]?.toLowerCase()}${type.slice(1)}EventAttributes`] as Record<string, unknown> | undefined;
    switch (type) {
      case 'ActivityTaskScheduled': {
        const activityType = ((attributes?.activityType as { name?: string } | undefined)?.name ?? 'unknown') as string;
        scheduled.set(id, { type: activityType, at, startedAt: null });
        const a = (stats.activities[activityType] ??= { count: 0, scheduleToStartMs: 0, startToCloseMs: 0, inputBytes: 0, resultBytes: 0 });
        a.count += 1;
        a.inputBytes += payloadBytes(attributes?.input);
        break;
      }
      case 'ActivityTaskStarted': {
        const s = scheduled.get(num(attributes?.scheduledEventId as Long));
        if (s) {
          s.startedAt = at;
          const a = stats.activities[s.type];
          if (a) a.scheduleToStartMs += at - s.at;
        }
        break;
      }
      case 'ActivityTaskCompleted':
      case 'ActivityTaskFailed':
      case 'ActivityTaskTimedOut': {
        const s = scheduled.get(num(attributes?.scheduledEventId as Long));
        const a = s ? stats.activities[s.type] : undefined;
        if (s && a) {
          a.startToCloseMs += at - (s.startedAt ?? s.at);
          if (type === 'ActivityTaskCompleted') a.resultBytes += payloadBytes(attributes?.result);
        }
        break;
      }
      case 'MarkerRecorded': {
        // A local activity: one marker with its type and times in `data` and its result; its input
        // is not in the history. Counted as `<type> (local)`.
        if (attributes?.markerName !== 'core_local_activity') break;
        const details = attributes.details as Record<string, unknown> | undefined;
        const data = firstJson(details?.data) as { activity_type?: string; complete_time?: unknown; original_schedule_time?: unknown } | null;
        const a = (stats.activities[`${data?.activity_type ?? 'unknown'} (local)`] ??= { count: 0, scheduleToStartMs: 0, startToCloseMs: 0, inputBytes: 0, resultBytes: 0 });
        a.count += 1;
        a.resultBytes += payloadBytes(details?.result);
        const scheduledAt = instant(data?.original_schedule_time);
        const completedAt = instant(data?.complete_time);
        if (scheduledAt !== null && completedAt !== null) a.startToCloseMs += completedAt - scheduledAt;
        break;
      }
      case 'WorkflowTaskScheduled':
        workflowTaskScheduled.set(id, at);
        break;
      case 'WorkflowTaskCompleted': {
        const since = workflowTaskScheduled.get(num(attributes?.scheduledEventId as Long));
        stats.workflowTasks.count += 1;
        if (since !== undefined) stats.workflowTasks.scheduleToCloseMs += at - since;
        break;
      }
    }
  }
  return stats;
}

export async function fetchHistoryStats(client: Client, workflowId: string): Promise<HistoryStats> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return analyzeHistory(workflowId, (history.events ?? []) as unknown as Event[]);
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i] as T);
      }
    }),
  );
  return results;
}
