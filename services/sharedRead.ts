/**
 * One database read for many concurrent callers, never giving a caller a result read before it
 * called: a caller arriving while a read runs waits for the next read, which starts when the running
 * one ends and serves everyone who arrived meanwhile. Under load a page's data is read a few times
 * per second instead of once per request, and each request still sees the data as of its arrival.
 * The result is shared: callers must not mutate it.
 */
export function sharedRead<T>(read: () => Promise<T>): (() => Promise<T>) & { idle(): boolean } {
  let running: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const current: Promise<T> = read().finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };
  const call = () => {
    if (next) return next;
    if (!running) return start();
    const queued = running
      .catch(() => undefined)
      .then(() => {
        if (next === queued) next = null;
        return start();
      });
    next = queued;
    return queued;
  };
  return Object.assign(call, { idle: () => running === null && next === null });
}

/** `sharedRead` per key (e.g. per cycle); a key's entry is dropped once nobody waits on it. */
export function sharedReadsByKey<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const byKey = new Map<string, ReturnType<typeof sharedRead<T>>>();
  return (key) => {
    let shared = byKey.get(key);
    if (!shared) byKey.set(key, (shared = sharedRead(() => read(key))));
    const entry = shared;
    const result = entry();
    const forget = () => {
      if (entry.idle() && byKey.get(key) === entry) byKey.delete(key);
    };
    result.then(forget, forget);
    return result;
  };
}
