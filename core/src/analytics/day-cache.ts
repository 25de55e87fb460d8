import type { LedgerEntry } from '../ledger';

/**
 * Settled days' rollup entries kept in memory, so a 365-day dashboard reads the store only for the days
 * that can still move. A day is settled once it is before yesterday (in the shops' time zone): sales
 * count on the day they are paid and refunds on the day they are made, so an old day changes only when a
 * late event is applied to it (a redelivery, a reconcile) — which publishes `analytics.updated` for that
 * scope and day, and every process forgets it. The age limit bounds what a lost bus message could leave
 * stale; keys carry the generation, so a rebuild never reads the old one's entries.
 */
export function createDayCache(opts: { limit: number; maxAgeMs: number; now: () => number }) {
  const entries = new Map<string, { value: LedgerEntry | null; at: number; day: string }>();
  /** The cached keys of each scope's day (`<scope>|<day>`), so forgetting a day touches only its own. */
  const keysOfDay = new Map<string, Set<string>>();
  /** Bumped by each forget of a scope's day: a read that began before it must not store its answer. */
  const epochs = new Map<string, number>();
  const dayOf = (scope: string, day: string) => `${scope}|${day}`;

  function drop(key: string): void {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    const keys = keysOfDay.get(entry.day);
    keys?.delete(key);
    if (keys && !keys.size) keysOfDay.delete(entry.day);
  }

  return {
    /** The entry of `key` (a stream of `scope`'s `day`: any kind), from memory or by `read`. */
    async get<E extends LedgerEntry>(
      key: string,
      scope: string,
      day: string,
      read: () => Promise<E | null>,
    ): Promise<E | null> {
      const hit = entries.get(key);
      if (hit && opts.now() - hit.at < opts.maxAgeMs) {
        // Least recently used goes first: move the hit to the end.
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as E | null;
      }
      const epoch = epochs.get(dayOf(scope, day)) ?? 0;
      const value = await read();
      if ((epochs.get(dayOf(scope, day)) ?? 0) !== epoch) return value;
      const id = dayOf(scope, day);
      entries.delete(key);
      entries.set(key, { value, at: opts.now(), day: id });
      keysOfDay.set(id, (keysOfDay.get(id) ?? new Set()).add(key));
      if (entries.size > opts.limit) drop(entries.keys().next().value!);
      return value;
    },

    /** Drops every kind of `scope`'s `day`, in every generation. */
    forget(scope: string, day: string): void {
      const id = dayOf(scope, day);
      epochs.set(id, (epochs.get(id) ?? 0) + 1);
      for (const key of keysOfDay.get(id) ?? []) drop(key);
    },

    get size(): number {
      return entries.size;
    },
  };
}

export type DayCache = ReturnType<typeof createDayCache>;
